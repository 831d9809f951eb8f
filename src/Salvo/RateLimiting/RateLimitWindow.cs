using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Salvo.RateLimiting;

/// <summary>One rate-limit window: at most <see cref="Limit"/> requests in any <see cref="Window"/>.</summary>
/// <remarks>
/// The text form is <c>count/duration</c>, e.g. <c>"20/1s"</c>, <c>"100/2m"</c>, <c>"5/500ms"</c>, <c>"5000/1h"</c>,
/// <c>"10000/1d"</c>; a unit alone means one of it (<c>"3/s"</c>). Units: <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>;
/// the number may have a decimal part (<c>"10/1.5s"</c>). Several windows, comma-separated, all apply at once.
/// </remarks>
public sealed record RateLimitWindow
{
    /// <summary>The longest window accepted.</summary>
    /// <value>The value is 366 days.</value>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

    /// <summary>Creates a window.</summary>
    /// <param name="limit">The requests allowed per window; greater than zero.</param>
    /// <param name="window">The window's length; greater than zero and at most <see cref="MaxWindow"/>.</param>
    public RateLimitWindow(int limit, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(window, MaxWindow);
        Limit = limit;
        Window = window;
    }

    /// <summary>The requests allowed per window.</summary>
    public int Limit { get; }

    /// <summary>The window's length.</summary>
    public TimeSpan Window { get; }

    /// <summary>Parses one window such as <c>"20/1s"</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The window.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a window.</exception>
    public static RateLimitWindow Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var window)
            ? window
            : throw new FormatException($"'{text}' is not a rate limit; use <count>/<duration>, e.g. 20/1s or 100/2m.");
    }

    /// <summary>Parses one window such as <c>"20/1s"</c> without throwing.</summary>
    /// <param name="text">The text.</param>
    /// <param name="window">The window, when the text is valid.</param>
    /// <returns>Whether <paramref name="text"/> is a valid window.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out RateLimitWindow? window)
    {
        window = null;
        if (text is null)
            return false;
        var span = text.AsSpan().Trim();
        var slash = span.IndexOf('/');
        if (slash <= 0
            || !int.TryParse(span[..slash].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            || limit <= 0
            || !TryParseDuration(span[(slash + 1)..].Trim(), out var length)
            || length <= TimeSpan.Zero
            || length > MaxWindow)
        {
            return false;
        }
        window = new RateLimitWindow(limit, length);
        return true;
    }

    /// <summary>Parses comma-separated windows such as <c>"20/1s,100/2m"</c>; all of them apply at once.</summary>
    /// <param name="text">The text; blank means no windows.</param>
    /// <returns>The windows, in the order given.</returns>
    /// <exception cref="FormatException">A part of <paramref name="text"/> is not a window.</exception>
    public static IReadOnlyList<RateLimitWindow> ParseMany(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse)];
    }

    /// <summary>Formats the window in the syntax <see cref="Parse"/> accepts, e.g. <c>"20/1s"</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => $"{Limit.ToString(CultureInfo.InvariantCulture)}/{FormatDuration(Window)}";

    /// <summary>A duration in the largest unit that expresses it exactly (<c>2m</c>, <c>1s</c>, <c>500ms</c>).</summary>
    internal static string FormatDuration(TimeSpan value)
    {
        var ticks = value.Ticks;
        if (ticks % TimeSpan.TicksPerDay == 0)
            return Whole(ticks / TimeSpan.TicksPerDay, "d");
        if (ticks % TimeSpan.TicksPerHour == 0)
            return Whole(ticks / TimeSpan.TicksPerHour, "h");
        if (ticks % TimeSpan.TicksPerMinute == 0)
            return Whole(ticks / TimeSpan.TicksPerMinute, "m");
        if (ticks % TimeSpan.TicksPerSecond == 0)
            return Whole(ticks / TimeSpan.TicksPerSecond, "s");
        return value.TotalMilliseconds.ToString("0.####", CultureInfo.InvariantCulture) + "ms";

        static string Whole(long count, string unit) => count.ToString(CultureInfo.InvariantCulture) + unit;
    }

    private static bool TryParseDuration(ReadOnlySpan<char> text, out TimeSpan value)
    {
        value = default;
        var unitStart = text.Length;
        while (unitStart > 0 && char.IsAsciiLetter(text[unitStart - 1]))
            unitStart--;
        var unit = text[unitStart..];
        var number = text[..unitStart].Trim();
        double count = 1;
        if (number.Length > 0 && !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out count))
            return false;
        double? seconds = unit switch
        {
            "ms" => count / 1000,
            "s" => count,
            "m" => count * 60,
            "h" => count * 3600,
            "d" => count * 86400,
            _ => null,
        };
        if (seconds is not { } s || !double.IsFinite(s) || s > MaxWindow.TotalSeconds)
            return false;
        value = TimeSpan.FromTicks((long)Math.Round(s * TimeSpan.TicksPerSecond));
        return true;
    }
}
