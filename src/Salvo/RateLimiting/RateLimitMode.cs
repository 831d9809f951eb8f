namespace Salvo.RateLimiting;

/// <summary>What a rate-limited call does when its partition has no room right now.</summary>
public enum RateLimitMode
{
    /// <summary>
    /// Wait for room, first come first served, as long as the wait fits in the call's remaining time budget;
    /// a wait that cannot fit ends at once in a <see cref="SalvoThrottledException"/>.
    /// </summary>
    Wait = 0,

    /// <summary>Throw a <see cref="SalvoThrottledException"/> at once, saying when room is expected.</summary>
    Throw = 1,
}
