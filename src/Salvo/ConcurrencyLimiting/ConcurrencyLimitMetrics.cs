namespace Salvo.ConcurrencyLimiting;

/// <summary>
/// The instruments <see cref="ConcurrencyLimitHandler"/> reports on the <c>Salvo</c> meter
/// (<see cref="Telemetry.SalvoDiagnostics.Name"/>), one series per partition.
/// </summary>
/// <remarks>
/// Every series carries <c>server.address</c> and <c>server.port</c> when the limit is per host (absent for a limit shared by
/// every host), and <c>salvo.client.name</c> when <see cref="ConcurrencyLimitOptions.Name"/> is set. The gauges are observed
/// only when a listener collects them, so they cost nothing per request.
/// </remarks>
public static class ConcurrencyLimitMetrics
{
    /// <summary>Gauge: the number of requests that may be in flight now (pinned to the minimum while an adaptive limit probes).</summary>
    /// <value>The value is <c>salvo.concurrency.limit</c>.</value>
    public const string LimitInstrument = "salvo.concurrency.limit";

    /// <summary>Gauge: the floor of the limit (for a fixed limit, the limit itself).</summary>
    /// <value>The value is <c>salvo.concurrency.min_limit</c>.</value>
    public const string MinLimitInstrument = "salvo.concurrency.min_limit";

    /// <summary>Gauge: the ceiling of the limit (for a fixed limit, the limit itself).</summary>
    /// <value>The value is <c>salvo.concurrency.max_limit</c>.</value>
    public const string MaxLimitInstrument = "salvo.concurrency.max_limit";

    /// <summary>Gauge: the requests holding a slot now.</summary>
    /// <value>The value is <c>salvo.concurrency.in_flight</c>.</value>
    public const string InFlightInstrument = "salvo.concurrency.in_flight";

    /// <summary>Gauge: the requests waiting for a slot now.</summary>
    /// <value>The value is <c>salvo.concurrency.queued</c>.</value>
    public const string QueuedInstrument = "salvo.concurrency.queued";

    /// <summary>Gauge, in seconds: an adaptive limit's baseline round trip (absent for fixed limits and before the first measurement).</summary>
    /// <value>The value is <c>salvo.concurrency.min_rtt</c>.</value>
    public const string MinRttInstrument = "salvo.concurrency.min_rtt";

    /// <summary>
    /// Counter: calls held back with a <see cref="SalvoThrottledException"/>, tagged <c>salvo.concurrency.reason</c> =
    /// <c>queue_full</c> (the line was at <see cref="ConcurrencyLimitOptions.MaxQueue"/>) or <c>budget</c> (no slot came free
    /// within the call's time budget).
    /// </summary>
    /// <value>The value is <c>salvo.concurrency.rejected</c>.</value>
    public const string RejectedInstrument = "salvo.concurrency.rejected";
}
