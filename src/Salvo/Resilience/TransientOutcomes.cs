using System.Net;

namespace Salvo.Resilience;

/// <summary>
/// Decides which outcomes of an attempt may clear if the call is tried again. Shared by the retry, the
/// circuit breaker (transient outcomes are its failures) and hedging (a transient loser does not win).
/// </summary>
/// <remarks>
/// Transient: 408, 429, 500, 502, 503, 504; connection failures (<see cref="HttpRequestException"/>,
/// <see cref="HttpIOException"/>, <see cref="IOException"/> from the transport) except the ones that do not fix
/// themselves (TLS trust, protocol version, a configured limit — the same rule as
/// <see cref="SalvoConnectionException.IsTransient"/>); an attempt timeout; a connect timeout. Never transient:
/// Salvo's own throttling and open circuits (waiting for them is exactly what did not fit), the total budget
/// running out, and the caller's cancellation.
/// </remarks>
internal static class TransientOutcomes
{
    public static bool IsTransient(HttpResponseMessage response) => SalvoHttpException.IsTransientStatus(response.StatusCode);

    /// <param name="exception">What the attempt threw.</param>
    /// <param name="attemptToken">The token the attempt was sent with: when it fired, the caller or the total budget ended the call.</param>
    public static bool IsTransient(Exception exception, CancellationToken attemptToken) => exception switch
    {
        SalvoTimeoutException timeout => timeout.Budget is TimeoutBudget.Attempt or TimeoutBudget.Connect,
        SalvoThrottledException or SalvoCircuitOpenException => false,
        SalvoException salvo => salvo.IsTransient,
        // A cancellation nobody above asked for is a timeout below: SocketsHttpHandler's connect timeout, or a
        // user HttpClient's own Timeout. Both bound one attempt.
        OperationCanceledException cancelled => !attemptToken.IsCancellationRequested && cancelled.InnerException is TimeoutException,
        HttpRequestException http => IsTransient(http.HttpRequestError),
        HttpIOException io => IsTransient(io.HttpRequestError),
        IOException => true,
        _ => false,
    };

    private static bool IsTransient(HttpRequestError error) =>
        error is not (HttpRequestError.SecureConnectionError or HttpRequestError.VersionNegotiationError or HttpRequestError.ConfigurationLimitExceeded);

    /// <summary>A short, secret-free name for an outcome, for logs.</summary>
    public static string Describe(HttpResponseMessage? response, Exception? exception) =>
        response is not null ? StatusText(response.StatusCode) : exception?.GetType().Name ?? "unknown";

    private static string StatusText(HttpStatusCode status) => (int)status switch
    {
        408 => "408 RequestTimeout",
        429 => "429 TooManyRequests",
        500 => "500 InternalServerError",
        502 => "502 BadGateway",
        503 => "503 ServiceUnavailable",
        504 => "504 GatewayTimeout",
        var other => other.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
