using System.Net;
using Salvo.Http;
using Salvo.Pipeline;

namespace Salvo;

/// <summary>Turns error responses and transport failures into Salvo's typed exceptions.</summary>
internal static class SalvoErrors
{
    public static async Task<SalvoHttpException> FromResponseAsync(HttpResponseMessage response, SalvoErrorContext context, TimeProvider timeProvider, bool redirectsFollowed, CancellationToken cancellationToken)
    {
        var preview = await BodyReader.ReadPreviewAsync(response.Content, cancellationToken).ConfigureAwait(false);
        var info = new SalvoResponseInfo(
            response.StatusCode,
            response.ReasonPhrase,
            RetryAfter(response, timeProvider),
            preview,
            response.Content.Headers.ContentType?.MediaType);
        return Create(info, context, redirectsFollowed);
    }

    public static SalvoHttpException Create(SalvoResponseInfo info, SalvoErrorContext context, bool redirectsFollowed)
    {
        var status = (int)info.StatusCode;
        var reason = string.IsNullOrEmpty(info.ReasonPhrase) ? info.StatusCode.ToString() : info.ReasonPhrase;
        var message = $"{ErrorText.Call(context)} responded {status} {reason}{ErrorText.Attempts(context)}.";
        return info.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new SalvoUnauthorizedException(message, info, context),
            HttpStatusCode.Forbidden => new SalvoForbiddenException(message, info, context),
            HttpStatusCode.NotFound => new SalvoNotFoundException(message, info, context),
            HttpStatusCode.Conflict => new SalvoConflictException(message, info, context),
            HttpStatusCode.TooManyRequests => new SalvoTooManyRequestsException(
                info.RetryAfter is { } wait ? $"{message[..^1]}; the server asked to wait {wait.TotalSeconds:0.###} s." : message, info, context),
            _ when status is >= 300 and < 400 && redirectsFollowed => new SalvoTooManyRedirectsException(
                $"{ErrorText.Call(context)} ended on redirect {status} {reason}: too many redirects or a redirect loop.", info, context),
            _ => new SalvoHttpException(message, info, context),
        };
    }

    /// <summary>The server's Retry-After as a delay; an HTTP date in the past means now.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        var header = response.Headers.RetryAfter;
        if (header is null)
            return null;
        if (header.Delta is { } delta)
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>
    /// Maps a failure that is not yet typed; returns <see langword="null"/> when it should propagate as is
    /// (already a Salvo exception, or the caller's own cancellation).
    /// </summary>
    public static Exception? Map(Exception exception, HttpRequestMessage request, CallBudget budget, bool salvoTransport, CancellationToken callerToken)
    {
        switch (exception)
        {
            case SalvoException:
                return null;
            case OperationCanceledException when callerToken.IsCancellationRequested:
                return null;
        }
        var context = SalvoRequestContext.Find(request)?.ToErrorContext(request) ?? SalvoRequestContext.ErrorContextFor(request, 1);
        return exception switch
        {
            OperationCanceledException when budget.TimedOut => new SalvoTimeoutException(
                budget.ExpiredBudget, budget.ExpiredBudget == TimeoutBudget.Total ? budget.Total : null, exception, context),
            OperationCanceledException { InnerException: TimeoutException } => new SalvoTimeoutException(
                salvoTransport ? TimeoutBudget.Connect : TimeoutBudget.Transport, null, exception, context),
            HttpRequestException h => new SalvoConnectionException(
                $"{ErrorText.Call(context)} failed: {Describe(h.HttpRequestError)}{ErrorText.Attempts(context)}.", h.HttpRequestError, h, context),
            HttpIOException io => new SalvoConnectionException(
                $"{ErrorText.Call(context)} failed while reading the response: {Describe(io.HttpRequestError)}.", io.HttpRequestError, io, context),
            IOException io => new SalvoConnectionException(
                $"{ErrorText.Call(context)} failed while reading the response: the connection was lost.", HttpRequestError.Unknown, io, context),
            UriFormatException => new SalvoInvalidRequestException(
                $"{ErrorText.Call(context)} could not be sent: {exception.Message}", exception, context),
            _ => null,
        };
    }

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "the host name could not be resolved",
        HttpRequestError.ConnectionError => "the connection could not be established or was reset",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed (certificate not trusted or name mismatch)",
        HttpRequestError.ResponseEnded => "the response ended before its declared length (truncated body)",
        HttpRequestError.InvalidResponse => "the server sent an invalid HTTP response",
        HttpRequestError.ProxyTunnelError => "the proxy tunnel could not be established",
        HttpRequestError.VersionNegotiationError => "the requested HTTP version could not be negotiated",
        HttpRequestError.ConfigurationLimitExceeded => "a configured limit (e.g. response header size) was exceeded",
        HttpRequestError.HttpProtocolError => "an HTTP protocol error occurred",
        HttpRequestError.UserAuthenticationError => "authentication with the proxy or server failed",
        _ => "an unexpected transport error occurred",
    };
}
