using System.Net;

namespace Salvo;

/// <summary>The server answered 404 NotFound. The resource does not exist.</summary>
public sealed class SalvoNotFoundException : SalvoHttpException
{
    /// <summary>Creates the exception for a 404 response.</summary>
    /// <param name="message">What went wrong, free of secrets.</param>
    /// <param name="response">What was received.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoNotFoundException(string message, SalvoResponseInfo response, SalvoErrorContext? context = null)
        : base(message, response, context)
    {
    }
}
