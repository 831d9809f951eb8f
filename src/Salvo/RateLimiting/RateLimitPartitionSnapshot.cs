namespace Salvo.RateLimiting;

/// <summary>A partition's state at one moment: its windows, pause and queue. For benches, dashboards and tests.</summary>
public sealed record RateLimitPartitionSnapshot
{
    /// <summary>The partition's name (host, host and route, or user key).</summary>
    public required string Partition { get; init; }

    /// <summary>Every window: configured, learned for the partition, and learned per route.</summary>
    public required IReadOnlyList<RateLimitWindowSnapshot> Windows { get; init; }

    /// <summary>When a pause a 429 asked for ends, if the partition is paused now.</summary>
    public DateTimeOffset? PausedUntil { get; init; }

    /// <summary>Whether a response has been read since the partition was created or last paused (so it is not probing).</summary>
    public bool LimitsKnown { get; init; }

    /// <summary>Permits of requests admitted and not yet answered.</summary>
    public int InFlight { get; init; }

    /// <summary>Permits of requests waiting for room.</summary>
    public int Waiting { get; init; }

    /// <summary>The fewest requests any window of the partition admits now, or <see langword="null"/> when no window applies.</summary>
    public int? Remaining => Windows.Where(w => w.Route is null).Select(w => (int?)w.Remaining).Min();
}
