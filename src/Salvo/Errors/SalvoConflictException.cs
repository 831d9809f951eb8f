using System.Net;

namespace Salvo;

/// <summary>The server answered 409 Conflict. The request conflicts with the resource's current state (e.g. a concurrent update).</summary>
public sealed class SalvoConflictException : SalvoHttpException
{
    /// <summary>Creates the exception for a 409 response.</summary>
    /// <param name="message">What went wrong, free of secrets.</param>
    /// <param name="response">What was received.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoConflictException(string message, SalvoResponseInfo response, SalvoErrorContext? context = null)
        : base(message, response, context)
    {
    }
}
