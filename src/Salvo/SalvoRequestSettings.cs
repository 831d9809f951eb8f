namespace Salvo;

/// <summary>
/// Per-request settings that override the client's options for one call. Immutable; attach with
/// <see cref="SalvoRequestExtensions.WithSalvoSettings(HttpRequestMessage, SalvoRequestSettings)"/>.
/// </summary>
/// <remarks>Every property defaults to <see langword="null"/>, meaning "as the client's options say".</remarks>
public sealed record SalvoRequestSettings
{
    /// <summary>Allows retrying this call even though its method is not idempotent (POST, PATCH) and it has no Idempotency-Key.</summary>
    public bool? AllowUnsafeRetry { get; init; }

    /// <summary>Turns retries off (<see langword="false"/>) or on for this call.</summary>
    public bool? Retry { get; init; }

    /// <summary>Turns hedging on or off for this call (it still applies only to idempotent methods).</summary>
    public bool? Hedge { get; init; }

    /// <summary>The rate-limit partition key for this call (a region, an API key's name — never the secret itself).</summary>
    public string? RateLimitKey { get; init; }

    /// <summary>How this call uses the response cache: bypass it, or force a refresh (see <see cref="Caching.CacheMode"/>).</summary>
    public Caching.CacheMode? Cache { get; init; }

    /// <summary>The route template this call belongs to, for per-route rate limits (e.g. <c>matches/{id}</c>).</summary>
    public string? RouteTemplate { get; init; }
}
