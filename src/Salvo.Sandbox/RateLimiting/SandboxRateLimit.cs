using System.Globalization;

namespace Salvo.Sandbox;

/// <summary>One fixed rate-limit window: at most <see cref="Limit"/> requests per <see cref="Window"/> and caller.</summary>
public sealed record SandboxRateLimit
{
    /// <summary>Creates a window.</summary>
    /// <param name="limit">The number of requests admitted per window; greater than zero.</param>
    /// <param name="window">The window length; greater than zero.</param>
    public SandboxRateLimit(int limit, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        Limit = limit;
        Window = window;
    }

    /// <summary>Gets the number of requests admitted per window.</summary>
    public int Limit { get; }

    /// <summary>Gets the window length.</summary>
    public TimeSpan Window { get; }

    /// <summary>Parses one window such as <c>"20/1s"</c> (units <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>; <c>"20/s"</c> means one second).</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The window.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a valid window.</exception>
    public static SandboxRateLimit Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0
            || !int.TryParse(text.AsSpan(0, slash).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            || limit <= 0)
        {
            throw new FormatException($"'{text}' is not a rate limit; use <count>/<window>, e.g. 20/1s or 100/2m.");
        }
        var windowText = text[(slash + 1)..].Trim();
        if (windowText.Length > 0 && char.IsLetter(windowText[0]))
            windowText = "1" + windowText;
        var window = SandboxOptionsParser.ParseDuration(windowText);
        return window > TimeSpan.Zero
            ? new SandboxRateLimit(limit, window)
            : throw new FormatException($"'{text}' has an empty window.");
    }

    /// <summary>Parses comma-separated windows such as <c>"20/1s,100/2m"</c>; each one applies at the same time.</summary>
    /// <param name="text">The text to parse; blank means no windows.</param>
    /// <returns>The windows, in the order given.</returns>
    /// <exception cref="FormatException">A part of <paramref name="text"/> is not a valid window.</exception>
    public static IReadOnlyList<SandboxRateLimit> ParseMany(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse)];
    }

    /// <summary>Formats the window in the syntax accepted by <see cref="Parse"/>, e.g. <c>"20/1s"</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() =>
        $"{Limit.ToString(CultureInfo.InvariantCulture)}/{SandboxOptionsParser.FormatDuration(Window)}";
}
