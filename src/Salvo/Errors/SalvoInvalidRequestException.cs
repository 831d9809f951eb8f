namespace Salvo;

/// <summary>
/// The request could not be sent as given: an invalid or non-HTTP URL, a relative URL without a base
/// address, or content that cannot be serialized. Retrying will not help.
/// </summary>
public sealed class SalvoInvalidRequestException : SalvoException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the request, free of secrets.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoInvalidRequestException(string message, Exception? innerException = null, SalvoErrorContext? context = null)
        : base(message, innerException, context)
    {
    }
}
