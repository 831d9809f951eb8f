namespace Salvo.Sandbox;

/// <content>The text form of a latency, used by the CLI.</content>
public sealed partial record SandboxLatency
{
    private const string LogNormalPrefix = "lognormal:";
    private const string P99Prefix = "p99=";

    /// <summary>
    /// Parses <c>"0"</c> (none), <c>"200ms"</c> or <c>"1.5s"</c> (fixed), <c>"100ms..300ms"</c> (uniform) or
    /// <c>"lognormal:50ms,p99=500ms"</c> (log-normal). Durations use <see cref="SandboxOptionsParser.ParseDuration"/>.
    /// </summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The latency.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a valid latency.</exception>
    public static SandboxLatency Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        try
        {
            if (trimmed.Length == 0 || trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
                return None;
            if (trimmed.StartsWith(LogNormalPrefix, StringComparison.OrdinalIgnoreCase))
                return ParseLogNormal(trimmed[LogNormalPrefix.Length..]);
            var range = trimmed.IndexOf("..", StringComparison.Ordinal);
            return range >= 0
                ? Uniform(SandboxOptionsParser.ParseDuration(trimmed[..range]), SandboxOptionsParser.ParseDuration(trimmed[(range + 2)..]))
                : Fixed(SandboxOptionsParser.ParseDuration(trimmed));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new FormatException($"'{text}' is not a valid latency: {ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw new FormatException(
                $"'{text}' is not a latency; use 0, 200ms, 100ms..300ms or lognormal:50ms,p99=500ms. {ex.Message}", ex);
        }
    }

    /// <summary>Formats the latency in the syntax accepted by <see cref="Parse"/>.</summary>
    /// <returns>For example <c>"0"</c>, <c>"200ms"</c>, <c>"100ms..300ms"</c> or <c>"lognormal:50ms,p99=500ms"</c>.</returns>
    public override string ToString() => Kind switch
    {
        SandboxLatencyKind.Fixed => SandboxOptionsParser.FormatDuration(_first),
        SandboxLatencyKind.Uniform => $"{SandboxOptionsParser.FormatDuration(_first)}..{SandboxOptionsParser.FormatDuration(_second)}",
        SandboxLatencyKind.LogNormal =>
            $"{LogNormalPrefix}{SandboxOptionsParser.FormatDuration(_first)},{P99Prefix}{SandboxOptionsParser.FormatDuration(_second)}",
        _ => "0",
    };

    private static SandboxLatency ParseLogNormal(string arguments)
    {
        var parts = arguments.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !parts[1].StartsWith(P99Prefix, StringComparison.OrdinalIgnoreCase))
            throw new FormatException("A log-normal latency needs a median and a p99, e.g. lognormal:50ms,p99=500ms.");
        return LogNormal(SandboxOptionsParser.ParseDuration(parts[0]), SandboxOptionsParser.ParseDuration(parts[1][P99Prefix.Length..]));
    }
}
