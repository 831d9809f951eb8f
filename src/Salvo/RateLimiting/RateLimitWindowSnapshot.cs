namespace Salvo.RateLimiting;

/// <summary>One window's state at one moment.</summary>
public sealed record RateLimitWindowSnapshot
{
    /// <summary>Where the window came from.</summary>
    public required RateLimitWindowSource Source { get; init; }

    /// <summary>The route template of a per-route window, or <see langword="null"/> for the partition's own.</summary>
    public string? Route { get; init; }

    /// <summary>The limit (as the server or the options state it).</summary>
    public required int Limit { get; init; }

    /// <summary>This program's share of <see cref="Limit"/> (see <see cref="RateLimitOptions.Share"/>).</summary>
    public required int OwnLimit { get; init; }

    /// <summary>The window's length, or <see langword="null"/> for a window known only by when it resets.</summary>
    public TimeSpan? Window { get; init; }

    /// <summary>Requests this program may still send in the window now.</summary>
    public required int Remaining { get; init; }

    /// <summary>Permits held by this program's requests (in flight, or answered within the last window).</summary>
    public required int Held { get; init; }

    /// <summary>Permits the server reports used beyond this program's own.</summary>
    public required int HeldByOthers { get; init; }

    /// <summary>When everything held now is released (for a window known by its reset: the latest reset reported), if anything is held.</summary>
    public TimeSpan? ResetAfter { get; init; }
}
