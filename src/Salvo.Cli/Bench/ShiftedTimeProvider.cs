namespace Salvo.Cli.Bench;

/// <summary>The system clock moved forward on demand, so a bench can let a five-minute max-age pass at once.</summary>
internal sealed class ShiftedTimeProvider : TimeProvider
{
    private long _shiftTicks;

    public void Shift(TimeSpan by) => Interlocked.Add(ref _shiftTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _shiftTicks));
}
