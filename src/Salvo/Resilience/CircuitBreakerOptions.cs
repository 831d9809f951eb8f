namespace Salvo.Resilience;

/// <summary>How <see cref="CircuitBreakerHandler"/> stops calling a failing host. Read once, when the handler is created.</summary>
/// <remarks>
/// <para>There is one breaker per origin (scheme, host and port), so one failing host does not stop calls to
/// another. A breaker opens when, within <see cref="SamplingDuration"/>, at least <see cref="MinimumThroughput"/>
/// calls went through it and at least <see cref="FailureRatio"/> of them failed. Failures are 500, 502, 503 and
/// 504, connection failures, and attempt and connect timeouts. Every 4xx — 408 and 429 included — is a host that is up
/// and answering, so it counts as a success, as do 501 and 505 (permanent answers). A call the caller cancelled, or
/// that Salvo's own limiter held back, says nothing about the host: while the circuit is closed it is not recorded at
/// all, and as the half-open trial it fails, so the circuit never closes on no evidence.</para>
/// <para>While open, calls fail at once with <see cref="SalvoCircuitOpenException"/>, whose
/// <see cref="SalvoException.RetryAfter"/> is the time until the breaker lets one trial call through (half-open);
/// the trial's success closes it, its failure opens it for another <see cref="BreakDuration"/>.</para>
/// <para>On by default: the thresholds (half of at least 20 calls in 30 s) trip only on a host that is really
/// down, and then spare it, and the caller's retry budget, from calls that cannot succeed.</para>
/// </remarks>
public sealed class CircuitBreakerOptions
{
    /// <summary>The default <see cref="FailureRatio"/>.</summary>
    /// <value>The value is 0.5.</value>
    public const double DefaultFailureRatio = 0.5;

    /// <summary>The default <see cref="MinimumThroughput"/>.</summary>
    /// <value>The value is 20.</value>
    public const int DefaultMinimumThroughput = 20;

    /// <summary>The default <see cref="MaxHosts"/>.</summary>
    /// <value>The value is 1024.</value>
    public const int DefaultMaxHosts = 1024;

    /// <summary>The default <see cref="SamplingDuration"/>.</summary>
    /// <value>The value is 30 seconds.</value>
    public static readonly TimeSpan DefaultSamplingDuration = TimeSpan.FromSeconds(30);

    /// <summary>The default <see cref="BreakDuration"/>.</summary>
    /// <value>The value is 5 seconds.</value>
    public static readonly TimeSpan DefaultBreakDuration = TimeSpan.FromSeconds(5);

    /// <summary>The shortest <see cref="SamplingDuration"/> and <see cref="BreakDuration"/> (Polly's own limit).</summary>
    /// <value>The value is 500 milliseconds.</value>
    public static readonly TimeSpan MinimumDuration = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether the handler breaks circuits at all; when <see langword="false"/> it passes every call through.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>The share of failed calls, within <see cref="SamplingDuration"/>, that opens the circuit (more than 0, at most 1).</summary>
    /// <value>The default value is 0.5.</value>
    public double FailureRatio { get; set; } = DefaultFailureRatio;

    /// <summary>The fewest calls within <see cref="SamplingDuration"/> before the ratio is judged (at least 2).</summary>
    /// <value>The default value is 20.</value>
    public int MinimumThroughput { get; set; } = DefaultMinimumThroughput;

    /// <summary>The window over which calls and failures are counted (at least 500 ms).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan SamplingDuration { get; set; } = DefaultSamplingDuration;

    /// <summary>How long an open circuit refuses calls before it lets a trial call through (at least 500 ms).</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = DefaultBreakDuration;

    /// <summary>
    /// The most origins tracked at once. When full, breakers that are closed and idle for longer than
    /// <see cref="SamplingDuration"/> (so hold no counts) make room; if none can go, calls to a new origin pass
    /// through without a breaker.
    /// </summary>
    /// <value>The default value is 1024.</value>
    public int MaxHosts { get; set; } = DefaultMaxHosts;
}
