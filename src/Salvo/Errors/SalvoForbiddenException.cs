using System.Net;

namespace Salvo;

/// <summary>The server answered 403 Forbidden. The credentials are valid but not allowed to do this; retrying will not help.</summary>
public sealed class SalvoForbiddenException : SalvoHttpException
{
    /// <summary>Creates the exception for a 403 response.</summary>
    /// <param name="message">What went wrong, free of secrets.</param>
    /// <param name="response">What was received.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoForbiddenException(string message, SalvoResponseInfo response, SalvoErrorContext? context = null)
        : base(message, response, context)
    {
    }
}
