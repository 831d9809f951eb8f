using System.Net;

namespace Salvo;

/// <summary>
/// No token could be obtained for a call: the token endpoint failed, answered an error (<c>invalid_client</c>,
/// <c>invalid_grant</c>), stalled past its timeout, or a custom login threw. Every call that was waiting for the same
/// refresh gets one of these; the next refresh starts no earlier than <see cref="RetryAfter"/>.
/// </summary>
/// <remarks>The message names the credential by its kind and non-secret <see cref="IdentityHash"/>, never by a secret.</remarks>
public sealed class SalvoAuthenticationException : SalvoException
{
    private readonly bool _transient;
    private readonly TimeSpan? _retryAfter;

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, free of secrets.</param>
    /// <param name="identityHash">The credential's <see cref="Auth.SalvoAuth.IdentityHash"/>.</param>
    /// <param name="tokenEndpointStatus">The token endpoint's status, when it answered.</param>
    /// <param name="error">The OAuth error code (e.g. <c>invalid_client</c>), when the endpoint sent one.</param>
    /// <param name="isTransient">Whether a later attempt could succeed (5xx, 429, timeouts, connection failures).</param>
    /// <param name="retryAfter">How long until the next token request may start.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    /// <param name="context">The call that needed the token.</param>
    public SalvoAuthenticationException(string message, string identityHash, HttpStatusCode? tokenEndpointStatus = null, string? error = null,
        bool isTransient = false, TimeSpan? retryAfter = null, Exception? innerException = null, SalvoErrorContext? context = null)
        : base(message, innerException, context)
    {
        IdentityHash = identityHash;
        TokenEndpointStatus = tokenEndpointStatus;
        Error = error;
        _transient = isTransient;
        _retryAfter = retryAfter;
    }

    /// <summary>The credential's non-secret identity (see <see cref="Auth.SalvoAuth.IdentityHash"/>).</summary>
    public string IdentityHash { get; }

    /// <summary>The token endpoint's status, when it answered with an error.</summary>
    public HttpStatusCode? TokenEndpointStatus { get; }

    /// <summary>The OAuth error code (RFC 6749 section 5.2), e.g. <c>invalid_client</c> or <c>invalid_grant</c>, when the endpoint sent one.</summary>
    public string? Error { get; }

    /// <inheritdoc />
    /// <remarks>Transient when the token endpoint answered 408, 429 or 5xx, timed out, or could not be reached.</remarks>
    public override bool IsTransient => _transient;

    /// <inheritdoc />
    /// <remarks>The time until the credential will try the token endpoint again (its failure backoff).</remarks>
    public override TimeSpan? RetryAfter => _retryAfter;
}
