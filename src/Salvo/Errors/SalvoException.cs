using System.Net;

namespace Salvo;

/// <summary>
/// The root of every exception Salvo raises on purpose. Catch it to handle any Salvo failure; catch a
/// derived type (<see cref="SalvoHttpException"/>, <see cref="SalvoTimeoutException"/>, ...) to act on one.
/// </summary>
/// <remarks>
/// Messages and properties never contain secrets: URLs are redacted (credentials in the user-info part
/// and sensitive query parameters are replaced by <c>***</c>) and no header values are included.
/// A caller's own cancellation is not a Salvo failure and surfaces as <see cref="OperationCanceledException"/>.
/// </remarks>
public class SalvoException : Exception
{
    /// <summary>Creates an exception with a message and the context of the call that failed.</summary>
    /// <param name="message">What went wrong, free of secrets.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    /// <param name="context">The call this failure belongs to, if known.</param>
    public SalvoException(string message, Exception? innerException = null, SalvoErrorContext? context = null)
        : base(message, innerException)
    {
        Method = context?.Method;
        Url = context?.Url;
        Attempts = context?.Attempts ?? 0;
    }

    /// <summary>The HTTP method of the failed call, when the failure belongs to a call.</summary>
    public string? Method { get; }

    /// <summary>The URL of the failed call with credentials and sensitive query values redacted.</summary>
    public string? Url { get; }

    /// <summary>The HTTP status code received, when a response was received.</summary>
    public virtual HttpStatusCode? StatusCode => null;

    /// <summary>How long the server asked the caller to wait before trying again, when it said so.</summary>
    public virtual TimeSpan? RetryAfter => null;

    /// <summary>How many attempts were made before giving up (0 when unknown).</summary>
    public int Attempts { get; internal set; }

    /// <summary>
    /// <see langword="true"/> when the same call could succeed if tried again later (timeouts, connection
    /// failures, 408, 429, 500, 502, 503, 504); <see langword="false"/> when retrying cannot help.
    /// </summary>
    public virtual bool IsTransient => false;
}
