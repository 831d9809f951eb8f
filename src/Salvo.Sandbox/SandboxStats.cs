namespace Salvo.Sandbox;

/// <summary>
/// A snapshot of what the Sandbox saw since it started or since the last reset. Control endpoints
/// (<c>/_sandbox/*</c>) are not counted.
/// </summary>
public sealed record SandboxStats
{
    /// <summary>Gets the number of requests received (API endpoints, token endpoint, test helpers and unknown paths).</summary>
    public long TotalRequests { get; init; }

    /// <summary>Gets the requests received per route template, e.g. <c>"GET /casino/games/{id}"</c>; unknown paths count as <c>"GET (unmatched)"</c>.</summary>
    public IReadOnlyDictionary<string, long> RequestsByRoute { get; init; } = new Dictionary<string, long>();

    /// <summary>Gets the number of requests being handled right now.</summary>
    public long InFlight { get; init; }

    /// <summary>Gets the largest number of requests that were in flight at once.</summary>
    public long MaxInFlight { get; init; }

    /// <summary>Gets the number of requests the rate limiter answered with 429.</summary>
    public long RateLimited429 { get; init; }

    /// <summary>Gets the number of requests answered 429 for backend load (<see cref="SandboxOptions.ServiceLimitRate"/>), apart from <see cref="RateLimited429"/>.</summary>
    public long ServiceLimited429 { get; init; }

    /// <summary>Gets the number of requests answered 401: a missing or invalid bearer token, or wrong client credentials at <c>/auth/token</c>.</summary>
    public long Unauthorized401 { get; init; }

    /// <summary>Gets the number of conditional requests answered 304 Not Modified.</summary>
    public long NotModified304 { get; init; }

    /// <summary>Gets the number of requests answered 503 because more than twice the capacity was in flight (injected faults are counted apart).</summary>
    public long ServiceUnavailable503 { get; init; }

    /// <summary>Gets the number of 5xx responses injected by the fault rate.</summary>
    public long FaultsInjected { get; init; }

    /// <summary>Gets the number of connections the server aborted on purpose (the reset rate and <c>/truncated</c>).</summary>
    public long ConnectionResets { get; init; }

    /// <summary>Gets the number of requests the server decided never to answer (the hang rate and <c>/hang</c>).</summary>
    public long Hangs { get; init; }

    /// <summary>Gets the number of requests slowed by <see cref="SandboxOptions.SlowRate"/>.</summary>
    public long SlowResponses { get; init; }

    /// <summary>Gets the number of tokens issued, by <c>/auth/token</c> or <see cref="SandboxServer.IssueToken"/>.</summary>
    public long TokensIssued { get; init; }

    /// <summary>Gets the number of requests to <c>POST /auth/token</c>, answered or not (failed, stalled and refused ones included).</summary>
    public long TokenRequests { get; init; }

    /// <summary>Gets the number of refresh tokens rotated by <c>grant_type=refresh_token</c> (each one replaced by a new one).</summary>
    public long RefreshTokensRotated { get; init; }

    /// <summary>Gets the number of tokens revoked by <c>POST /auth/revoke</c> or <see cref="SandboxServer.RevokeTokens"/>.</summary>
    public long TokensRevoked { get; init; }

    /// <summary>Gets the number of connections accepted (HTTP and HTTPS).</summary>
    public long ConnectionsOpened { get; init; }

    /// <summary>Requests answered 429 by a burst (<see cref="SandboxOptions.BurstInterval"/>); also counted in <see cref="RateLimited429"/>.</summary>
    public long BurstRejected429 { get; init; }
}
