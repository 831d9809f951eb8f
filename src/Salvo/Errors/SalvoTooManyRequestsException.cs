namespace Salvo;

/// <summary>
/// The server answered 429 Too Many Requests: a rate limit was hit. <see cref="SalvoException.RetryAfter"/>
/// says when to try again, when the server said so.
/// </summary>
public sealed class SalvoTooManyRequestsException : SalvoHttpException
{
    /// <summary>Creates the exception for a 429 response.</summary>
    /// <param name="message">What went wrong, free of secrets.</param>
    /// <param name="response">What was received.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoTooManyRequestsException(string message, SalvoResponseInfo response, SalvoErrorContext? context = null)
        : base(message, response, context)
    {
    }
}
