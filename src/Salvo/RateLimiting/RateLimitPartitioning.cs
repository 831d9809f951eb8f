namespace Salvo.RateLimiting;

/// <summary>Which requests share one set of rate-limit windows (a partition).</summary>
/// <remarks>Partition names appear in errors, logs and snapshots, so a key must never be a secret.</remarks>
public enum RateLimitPartitioning
{
    /// <summary>One partition per host and port, e.g. <c>api.example.com</c> or <c>127.0.0.1:5000</c>.</summary>
    Host = 0,

    /// <summary>
    /// One partition per host and route template: the request's <see cref="SalvoRequestSettings.RouteTemplate"/>, else
    /// <see cref="RateLimitOptions.RouteMatcher"/>; a request with neither falls back to its host's partition.
    /// For APIs whose every limit is per route. (Riot-style per-method limits need no route partitioning: they are
    /// tracked per route template inside a host or key partition anyway.)
    /// </summary>
    Route = 1,

    /// <summary>
    /// One partition per <see cref="SalvoRequestSettings.RateLimitKey"/> (a region, an API key's <em>name</em>); a request
    /// without a key falls back to its host's partition. The key alone names the partition, whatever the host.
    /// </summary>
    Key = 2,
}
