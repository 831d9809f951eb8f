using System.Net;

namespace Salvo.Auth;

/// <summary>
/// Why a token request failed, kept once per refresh; every waiting call turns it into its own
/// <see cref="SalvoAuthenticationException"/> (one exception object is never thrown from many calls at once).
/// </summary>
internal sealed record RefreshFailure(string Reason, HttpStatusCode? Status, string? Error, bool IsTransient, Exception? Cause)
{
    public SalvoAuthenticationException ToException(string describe, string identity, TimeSpan? retryAfter, SalvoErrorContext? context)
    {
        var next = retryAfter is { } wait ? $"; the next token request starts in {wait.TotalSeconds:0.###} s" : "";
        return new SalvoAuthenticationException(
            $"{ErrorText.Call(context)} got no token: {describe} (identity {identity}) {Reason}{next}.",
            identity, Status, Error, IsTransient, retryAfter, Cause, context);
    }

    public static RefreshFailure From(Exception exception, bool timedOut) => exception switch
    {
        TokenEndpointException endpoint => endpoint.Failure,
        _ when timedOut => new("timed out", null, null, IsTransient: true, exception),
        HttpRequestException http => new($"could not reach the token endpoint ({http.HttpRequestError})", null, null, IsTransient: true, exception),
        SalvoException salvo => new($"failed ({salvo.GetType().Name})", salvo.StatusCode, null, salvo.IsTransient, exception),
        _ => new($"failed ({exception.GetType().Name})", null, null, IsTransient: false, exception),
    };
}

/// <summary>Carries a <see cref="RefreshFailure"/> out of a token source to the refresh that called it.</summary>
internal sealed class TokenEndpointException(RefreshFailure failure) : Exception(failure.Reason)
{
    public RefreshFailure Failure { get; } = failure;
}
