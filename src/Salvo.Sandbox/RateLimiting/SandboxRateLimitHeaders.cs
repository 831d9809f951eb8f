namespace Salvo.Sandbox;

/// <summary>Which rate-limit header families the Sandbox advertises its windows in (see <see cref="SandboxOptions.RateLimitHeaders"/>).</summary>
[Flags]
public enum SandboxRateLimitHeaders
{
    /// <summary>No rate-limit headers: only a 429 and its <c>Retry-After</c> tell the client.</summary>
    None = 0,

    /// <summary>GitHub's <c>X-RateLimit-Limit</c>, <c>-Remaining</c> and <c>-Reset</c> (epoch seconds), for the most constrained window.</summary>
    GitHub = 1,

    /// <summary>The IETF draft's <c>RateLimit-Policy</c> (every window) and <c>RateLimit</c> (the most constrained) structured fields.</summary>
    Ietf = 2,

    /// <summary>Riot's <c>X-App-Rate-Limit</c> and <c>X-App-Rate-Limit-Count</c> (every window).</summary>
    Riot = 4,

    /// <summary>All three families at once.</summary>
    All = GitHub | Ietf | Riot,
}
