namespace Salvo;

/// <summary>
/// The call ended on a redirect that was not followed: more hops than the configured maximum, usually a
/// redirect loop. Retrying will not help.
/// </summary>
public sealed class SalvoTooManyRedirectsException : SalvoHttpException
{
    /// <summary>Creates the exception for a redirect that was not followed.</summary>
    /// <param name="message">What went wrong, free of secrets.</param>
    /// <param name="response">The last redirect received.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoTooManyRedirectsException(string message, SalvoResponseInfo response, SalvoErrorContext? context = null)
        : base(message, response, context)
    {
    }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
