namespace Salvo.RateLimiting;

/// <summary>
/// Converts between <see cref="TimeSpan"/> and <see cref="TimeProvider"/> timestamp units, rounding towards waiting
/// longer: a window never ends, and a timer never fires, a tick before its time.
/// </summary>
internal static class Stamps
{
    // Far enough to mean "never", small enough that adding a window to it cannot overflow.
    public const long Never = long.MaxValue / 4;

    public static long FromTimeSpan(TimeSpan value, long frequency)
    {
        if (value <= TimeSpan.Zero)
            return 0;
        var scaled = (Int128)value.Ticks * frequency;
        var result = scaled / TimeSpan.TicksPerSecond;
        if (result * TimeSpan.TicksPerSecond < scaled)
            result++;
        return result >= Never ? Never : (long)result;
    }

    public static long FromSeconds(double seconds, long frequency) =>
        seconds <= 0 ? 0
        : seconds >= RateLimitWindow.MaxWindow.TotalSeconds ? FromTimeSpan(RateLimitWindow.MaxWindow, frequency)
        : FromTimeSpan(TimeSpan.FromTicks((long)Math.Ceiling(seconds * TimeSpan.TicksPerSecond)), frequency);

    public static TimeSpan ToTimeSpan(long delta, long frequency)
    {
        if (delta <= 0)
            return TimeSpan.Zero;
        var scaled = (Int128)delta * TimeSpan.TicksPerSecond;
        var ticks = scaled / frequency;
        if (ticks * frequency < scaled)
            ticks++;
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }
}
