using System.Net;
using System.Net.Http.Headers;
using Salvo.Pipeline;

namespace Salvo.ConcurrencyLimiting;

/// <summary>Reads what a finished request says about the server's load.</summary>
internal static class ConcurrencySignals
{
    // Riot's header: "application" and "method" are the caller's quotas, "service" is the service shedding load.
    private const string RateLimitTypeHeader = "X-Rate-Limit-Type";

    /// <summary>A 503, or a 429 that is not a quota, is overload; every other response is a served request.</summary>
    public static ConcurrencyOutcome Of(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.ServiceUnavailable => ConcurrencyOutcome.Dropped,
        HttpStatusCode.TooManyRequests => IsServiceLimit(response.Headers) ? ConcurrencyOutcome.Dropped : ConcurrencyOutcome.Ignored,
        _ => ConcurrencyOutcome.Completed,
    };

    /// <summary>
    /// A timeout is overload: Salvo's <see cref="SalvoTimeoutException"/>, the call's budget running out while the request was
    /// in flight, or a cancellation that the caller did not ask for (a user transport's own timeout). The caller's own
    /// cancellation, a cancelled hedge and connection errors say nothing about load.
    /// </summary>
    public static ConcurrencyOutcome Of(Exception exception, HttpRequestMessage request, CancellationToken cancellationToken) => exception switch
    {
        SalvoTimeoutException => ConcurrencyOutcome.Dropped,
        OperationCanceledException when SalvoRequestContext.BudgetExpired(request) => ConcurrencyOutcome.Dropped,
        OperationCanceledException when !cancellationToken.IsCancellationRequested => ConcurrencyOutcome.Dropped,
        _ => ConcurrencyOutcome.Ignored,
    };

    private static bool IsServiceLimit(HttpResponseHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues(RateLimitTypeHeader, out var values))
            return false;
        foreach (var value in values)
        {
            if (value.Trim().Equals("service", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
