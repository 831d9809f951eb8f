using System.Net;

namespace Salvo;

/// <summary>The server answered 401 Unauthorized. The credentials were missing, expired or rejected; refresh them and try again.</summary>
public sealed class SalvoUnauthorizedException : SalvoHttpException
{
    /// <summary>Creates the exception for a 401 response.</summary>
    /// <param name="message">What went wrong, free of secrets.</param>
    /// <param name="response">What was received.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoUnauthorizedException(string message, SalvoResponseInfo response, SalvoErrorContext? context = null)
        : base(message, response, context)
    {
    }
}
