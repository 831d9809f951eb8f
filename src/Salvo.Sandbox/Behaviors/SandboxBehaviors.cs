namespace Salvo.Sandbox.Behaviors;

/// <summary>Which simulated behaviours apply to an endpoint.</summary>
[Flags]
internal enum SandboxBehaviors
{
    /// <summary>Control endpoints: not counted, never delayed.</summary>
    None = 0,

    /// <summary>Counted in the stats.</summary>
    Count = 1,

    /// <summary>Counts toward <see cref="SandboxOptions.Capacity"/> (slower, then 503).</summary>
    Capacity = 2,

    /// <summary>Requires a bearer token when <see cref="SandboxOptions.TokenLifetime"/> is set.</summary>
    Auth = 4,

    /// <summary>Subject to <see cref="SandboxOptions.RateLimits"/>.</summary>
    RateLimit = 8,

    /// <summary>Delayed by <see cref="SandboxOptions.Latency"/>.</summary>
    Latency = 16,

    /// <summary>Subject to the fault, reset and hang rates.</summary>
    Chaos = 32,

    /// <summary>The StakeAPI-like endpoints: everything.</summary>
    Api = Count | Capacity | Auth | RateLimit | Latency | Chaos,

    /// <summary>The token endpoint costs time and capacity like a real one, but is never limited, failed or protected by itself.</summary>
    Token = Count | Capacity | Latency,
}
