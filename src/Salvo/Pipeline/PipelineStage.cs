namespace Salvo.Pipeline;

/// <summary>
/// The fixed order of Salvo's handlers, outermost first. Each feature that touches a request is a
/// <see cref="DelegatingHandler"/> at one of these positions; the gaps leave room for new stages.
/// </summary>
/// <remarks>
/// Why this order: telemetry sees the logical call once; a fresh cache hit returns before any budget is
/// spent; the total budget wraps every retry; retries wrap hedging, the circuit breaker, auth and the
/// limiters, so each attempt re-acquires a permit and a current token; the attempt budget is innermost so
/// it bounds exactly one try. See DESIGN.md, "The pipeline".
/// </remarks>
public enum PipelineStage
{
    /// <summary>One measurement, one Activity and one log line per logical call.</summary>
    Telemetry = 100,

    /// <summary>Fresh hits return here; identical in-flight GETs are coalesced.</summary>
    Cache = 200,

    /// <summary>One time budget for the whole call.</summary>
    TotalTimeout = 300,

    /// <summary>Transient outcomes retried within the budget.</summary>
    Retry = 400,

    /// <summary>A second attempt after a latency percentile (opt-in).</summary>
    Hedging = 500,

    /// <summary>Per-host circuit breaker.</summary>
    CircuitBreaker = 600,

    /// <summary>Token attached; refresh on 401 and replay.</summary>
    Auth = 700,

    /// <summary>Configured and header-learned rate limits.</summary>
    RateLimiter = 800,

    /// <summary>Fixed or adaptive concurrency limit.</summary>
    ConcurrencyLimiter = 900,

    /// <summary>Per-attempt budget and attempt counting.</summary>
    AttemptTimeout = 1000,
}
