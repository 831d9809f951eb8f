namespace Salvo.RateLimiting;

/// <summary>Where a rate-limit window came from: the options, or one of the header families a server teaches with.</summary>
public enum RateLimitWindowSource
{
    /// <summary><see cref="RateLimitOptions.Limits"/>.</summary>
    Configured = 0,

    /// <summary>GitHub style <c>X-RateLimit-Limit</c>, <c>X-RateLimit-Remaining</c>, <c>X-RateLimit-Reset</c>.</summary>
    GitHub = 1,

    /// <summary>The IETF draft's structured fields <c>RateLimit-Policy</c> and <c>RateLimit</c>.</summary>
    Ietf = 2,

    /// <summary>The IETF draft's older <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c>, <c>RateLimit-Reset</c> triple.</summary>
    IetfLegacy = 3,

    /// <summary>Riot style <c>X-App-Rate-Limit</c> and <c>X-App-Rate-Limit-Count</c> (per partition).</summary>
    RiotApplication = 4,

    /// <summary>Riot style <c>X-Method-Rate-Limit</c> and <c>X-Method-Rate-Limit-Count</c> (per route template).</summary>
    RiotMethod = 5,
}
