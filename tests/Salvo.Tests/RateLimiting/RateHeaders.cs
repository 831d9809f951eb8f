namespace Salvo.Tests.RateLimiting;

/// <summary>Rate-limit response headers as a server of each family sends them.</summary>
internal static class RateHeaders
{
    public static (string, string)[] Riot(string limits, string counts) =>
        [("X-App-Rate-Limit", limits), ("X-App-Rate-Limit-Count", counts)];

    public static (string, string)[] RiotMethod(string limits, string counts) =>
        [("X-Method-Rate-Limit", limits), ("X-Method-Rate-Limit-Count", counts)];

    public static (string, string)[] GitHub(int limit, int remaining, long reset) =>
        [("X-RateLimit-Limit", limit.ToString()), ("X-RateLimit-Remaining", remaining.ToString()), ("X-RateLimit-Reset", reset.ToString())];

    public static (string, string)[] Ietf(string policy, string? state = null) =>
        state is null ? [("RateLimit-Policy", policy)] : [("RateLimit-Policy", policy), ("RateLimit", state)];

    /// <summary>A quota 429's headers: <c>Retry-After</c> in seconds and, if given, <c>X-Rate-Limit-Type</c>.</summary>
    public static (string, string)[] TooMany(int retryAfterSeconds, string? type = null) =>
        type is null ? [("Retry-After", retryAfterSeconds.ToString())] : [("Retry-After", retryAfterSeconds.ToString()), ("X-Rate-Limit-Type", type)];

    /// <summary>Plenty of room, learned from Riot headers: the partition opens up after its probe.</summary>
    public static (string, string)[] Plenty => Riot("1000:1", "1:1");

    public static (string, string)[] Concat(params (string, string)[][] groups) => [.. groups.SelectMany(g => g)];
}
