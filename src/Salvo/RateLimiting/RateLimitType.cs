namespace Salvo.RateLimiting;

/// <summary>What a 429's <c>X-Rate-Limit-Type</c> header says was exceeded.</summary>
internal enum RateLimitType
{
    /// <summary>No header.</summary>
    None = 0,

    /// <summary><c>application</c>: the key's (partition's) limit.</summary>
    Application = 1,

    /// <summary><c>method</c>: the route's limit.</summary>
    Method = 2,

    /// <summary><c>service</c>: the backend is overloaded; no quota was exceeded.</summary>
    Service = 3,

    /// <summary>Any other value: treated as a quota of the partition.</summary>
    Other = 4,
}
