namespace Salvo.Resilience;

/// <summary>What one attempt's outcome says about its host's health, as the circuit breaker judges it.</summary>
internal enum BreakerVerdict
{
    /// <summary>The host answered as a working server does: any status below 500, and the 5xx that are permanent (501, 505).</summary>
    Healthy,

    /// <summary>The host failed: 500, 502, 503 or 504, a connection failure, or an attempt or connect timeout.</summary>
    Failed,

    /// <summary>
    /// Nothing about the host: the caller (or a winning hedge) cancelled, the total budget ran out, Salvo's own
    /// limiter held the call back, no token could be had, or the request itself was bad.
    /// </summary>
    SaysNothing,
}

/// <summary>
/// The circuit breaker's failures. Narrower than <see cref="TransientOutcomes"/>: a 408 or 429 is worth retrying but
/// comes from a host that is up and answering, so it must not stop every call to that host.
/// </summary>
internal static class BreakerOutcomes
{
    public static BreakerVerdict Judge(HttpResponseMessage response) => Judge(response.StatusCode);

    /// <param name="exception">What the attempt threw.</param>
    /// <param name="attemptToken">The token the attempt was sent with: when it fired, someone above ended the call.</param>
    public static BreakerVerdict Judge(Exception exception, CancellationToken attemptToken) => exception switch
    {
        SalvoThrottledException or SalvoCircuitOpenException => BreakerVerdict.SaysNothing,
        SalvoAuthenticationException => BreakerVerdict.SaysNothing, // the token endpoint failed, not this host
        SalvoHttpException http => Judge(http.Response.StatusCode),
        _ => TransientOutcomes.IsTransient(exception, attemptToken) ? BreakerVerdict.Failed : BreakerVerdict.SaysNothing,
    };

    private static BreakerVerdict Judge(System.Net.HttpStatusCode status) =>
        (int)status is 500 or 502 or 503 or 504 ? BreakerVerdict.Failed : BreakerVerdict.Healthy;
}
