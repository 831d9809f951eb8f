namespace Salvo.RateLimiting;

/// <summary>What a rate-limit partition is keyed by, read from the request without allocating.</summary>
/// <param name="Kind">How the key was chosen (host, route, user key), so a host and a user key of the same text differ.</param>
/// <param name="Host">The host, or <see langword="null"/> for a user key or a request without an absolute URI.</param>
/// <param name="Port">The port, or -1.</param>
/// <param name="Name">The route template or the user key, or <see langword="null"/> for a host partition.</param>
internal readonly record struct LimiterKey(RateLimitPartitioning Kind, string? Host, int Port, string? Name);
