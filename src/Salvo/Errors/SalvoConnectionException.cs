using System.Net.Http;

namespace Salvo;

/// <summary>
/// The call failed in the network: the connection could not be opened (refused, DNS, TLS), was reset, or
/// the response ended before its declared length.
/// </summary>
public sealed class SalvoConnectionException : SalvoException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, free of secrets.</param>
    /// <param name="error">The transport's classification of the failure.</param>
    /// <param name="innerException">The transport's exception.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoConnectionException(string message, HttpRequestError error, Exception? innerException = null, SalvoErrorContext? context = null)
        : base(message, innerException, context)
    {
        Error = error;
    }

    /// <summary>The transport's classification: name resolution, connection, TLS, premature end, ...</summary>
    public HttpRequestError Error { get; }

    /// <inheritdoc />
    /// <remarks>Transient except for a TLS failure (a bad certificate does not fix itself) and a protocol the server does not speak.</remarks>
    public override bool IsTransient => Error is not (HttpRequestError.SecureConnectionError or HttpRequestError.VersionNegotiationError or HttpRequestError.ConfigurationLimitExceeded);
}
