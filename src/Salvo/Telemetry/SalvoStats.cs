namespace Salvo.Telemetry;

/// <summary>A snapshot of a client's calls so far: counts by outcome and latency percentiles.</summary>
/// <param name="Requests">Logical calls started.</param>
/// <param name="InFlight">Calls started and not finished when the snapshot was taken.</param>
/// <param name="MaxInFlight">The most calls in flight at once.</param>
/// <param name="Succeeded">Calls that received a status below 400.</param>
/// <param name="HttpErrors">Calls that received a 4xx or 5xx status.</param>
/// <param name="Failed">Calls that ended without a response (timeout, connection failure, ...).</param>
/// <param name="Status2xx">Responses with a 2xx status.</param>
/// <param name="Status3xx">Responses with a 3xx status.</param>
/// <param name="Status4xx">Responses with a 4xx status.</param>
/// <param name="Status5xx">Responses with a 5xx status.</param>
/// <param name="P50">Median latency of finished calls.</param>
/// <param name="P90">90th percentile latency.</param>
/// <param name="P99">99th percentile latency.</param>
/// <param name="Mean">Mean latency.</param>
/// <param name="Max">Largest latency.</param>
public sealed record SalvoStats(
    long Requests,
    long InFlight,
    long MaxInFlight,
    long Succeeded,
    long HttpErrors,
    long Failed,
    long Status2xx,
    long Status3xx,
    long Status4xx,
    long Status5xx,
    TimeSpan P50,
    TimeSpan P90,
    TimeSpan P99,
    TimeSpan Mean,
    TimeSpan Max);
