using System.Globalization;

namespace Salvo.Sandbox;

/// <summary>Parses and formats the short duration syntax used by the Sandbox options and the CLI.</summary>
public static class SandboxOptionsParser
{
    private static readonly (string Suffix, long TicksPerUnit)[] Units =
    [
        ("us", TimeSpan.TicksPerMicrosecond),
        ("µs", TimeSpan.TicksPerMicrosecond),
        ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond),
        ("m", TimeSpan.TicksPerMinute),
        ("h", TimeSpan.TicksPerHour),
    ];

    /// <summary>
    /// Parses a duration such as <c>"0"</c>, <c>"500us"</c>, <c>"200ms"</c>, <c>"1s"</c>, <c>"1.5s"</c>, <c>"2m"</c> or <c>"1h"</c>.
    /// </summary>
    /// <param name="text">The text: a non-negative number followed by <c>us</c>, <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c>; a bare <c>0</c> is zero.</param>
    /// <returns>The duration.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a valid duration.</exception>
    public static TimeSpan ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseDuration(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a duration; use e.g. 0, 500us, 200ms, 1.5s, 2m or 1h.");
    }

    /// <summary>Tries to parse a duration in the syntax of <see cref="ParseDuration"/>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="value">The duration, or <see cref="TimeSpan.Zero"/> when the text is not valid.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid duration.</returns>
    public static bool TryParseDuration(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var span = text.AsSpan().Trim();
        if (span is "0")
            return true;
        // Longest suffix first: "ms" and "us" before "s" and "m".
        foreach (var (suffix, ticksPerUnit) in Units.OrderByDescending(u => u.Suffix.Length))
        {
            if (!span.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                continue;
            var number = span[..^suffix.Length].Trim();
            if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                || double.IsNaN(amount) || amount * ticksPerUnit > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }
            value = TimeSpan.FromTicks((long)Math.Round(amount * ticksPerUnit));
            return true;
        }
        return false;
    }

    /// <summary>
    /// Formats a duration in the syntax of <see cref="ParseDuration"/>, choosing the largest exact unit
    /// (<c>"0"</c>, <c>"2m"</c>, <c>"1.5s"</c>, <c>"200ms"</c>, <c>"500us"</c>), so that parsing it gives the same value back.
    /// </summary>
    /// <param name="value">A non-negative duration.</param>
    /// <returns>The formatted duration.</returns>
    public static string FormatDuration(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
        var ticks = value.Ticks;
        if (ticks == 0)
            return "0";
        if (ticks % TimeSpan.TicksPerHour == 0)
            return Format(ticks / TimeSpan.TicksPerHour, "h");
        if (ticks % TimeSpan.TicksPerMinute == 0)
            return Format(ticks / TimeSpan.TicksPerMinute, "m");
        if (ticks % TimeSpan.TicksPerSecond == 0)
            return Format(ticks / TimeSpan.TicksPerSecond, "s");
        if (ticks % TimeSpan.TicksPerMillisecond == 0)
        {
            return ticks >= TimeSpan.TicksPerSecond
                ? (ticks / (double)TimeSpan.TicksPerSecond).ToString("0.###", CultureInfo.InvariantCulture) + "s"
                : Format(ticks / TimeSpan.TicksPerMillisecond, "ms");
        }
        return (ticks / (double)TimeSpan.TicksPerMicrosecond).ToString("0.#", CultureInfo.InvariantCulture) + "us";
    }

    private static string Format(long amount, string unit) => amount.ToString(CultureInfo.InvariantCulture) + unit;
}
