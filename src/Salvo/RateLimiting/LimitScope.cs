namespace Salvo.RateLimiting;

/// <summary>
/// The windows one request must fit in at one level — its partition, or a route inside it (Riot's per-method limits) —
/// with that level's pause and probe state. Not thread-safe: the partition's lock guards it.
/// </summary>
internal sealed class LimitScope(string? route, LimitWindow[] windows)
{
    /// <summary>The route template, or <see langword="null"/> for the partition itself.</summary>
    public string? Route { get; } = route;

    /// <summary>Replaced, never changed in place, when a window is learned.</summary>
    public LimitWindow[] Windows { get; private set; } = windows;

    /// <summary>Permits of requests admitted and not yet completed.</summary>
    public int InFlight { get; set; }

    /// <summary>Whether a response has been read since the scope was created or last paused.</summary>
    public bool Learned { get; set; }

    /// <summary>Whether the one request allowed while not <see cref="Learned"/> is out.</summary>
    public bool ProbeOut { get; set; }

    /// <summary>Bumped by every pause, so answers to requests sent before it neither end a probe nor count as re-learning.</summary>
    public int Epoch { get; set; }

    /// <summary>The end of a pause a 429 asked for, or <see cref="LimitWindow.Unknown"/>.</summary>
    public long PausedUntil { get; set; } = LimitWindow.Unknown;

    public void Add(LimitWindow window) => Windows = [.. Windows, window];

    public LimitWindow? FindSliding(long lengthStamps)
    {
        foreach (var w in Windows)
        {
            if (!w.IsFixed && w.Source != RateLimitWindowSource.Configured && w.LengthStamps == lengthStamps)
                return w;
        }
        return null;
    }

    public LimitWindow? FindLearnedByLimit(int limit)
    {
        foreach (var w in Windows)
        {
            if (!w.IsFixed && w.Source != RateLimitWindowSource.Configured && w.Limit == limit)
                return w;
        }
        return null;
    }

    public LimitWindow? FindFixed(RateLimitWindowSource source)
    {
        foreach (var w in Windows)
        {
            if (w.IsFixed && w.Source == source)
                return w;
        }
        return null;
    }

    /// <summary>Whether the scope holds nothing: no request in flight or counted, no pause.</summary>
    public bool IsIdle(long now)
    {
        if (InFlight > 0 || ProbeOut || PausedUntil > now)
            return false;
        foreach (var w in Windows)
        {
            w.Refresh(now);
            if (w.Own + w.Others > 0)
                return false;
        }
        return true;
    }
}
