namespace Salvo.Auth;

/// <summary>
/// A source of current tokens, refreshed as they expire. Used by <see cref="AuthHandler"/> for every request, and by
/// connection-oriented transports (a WebSocket's connect payload) for every (re)connect.
/// </summary>
public interface ISalvoTokenProvider
{
    /// <summary>
    /// A stable, non-secret identity of the credential (16 bytes of PBKDF2-HMAC-SHA256, in hex, over its kind, endpoint, client id, scope,
    /// resource and secret): the same credential always has the same one, two scopes or secrets never share one. Use it to
    /// key anything per credential (a response cache, a token store) without keying by the token.
    /// </summary>
    string IdentityHash { get; }

    /// <summary>Returns a token that is valid now: the current one, or one just refreshed (one refresh however many callers wait).</summary>
    /// <param name="cancellationToken">Stops this caller's wait; a refresh other callers share keeps going.</param>
    /// <returns>The token.</returns>
    /// <exception cref="SalvoAuthenticationException">No token could be obtained.</exception>
    ValueTask<SalvoToken> GetTokenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Reports that a server rejected <paramref name="rejected"/> (401, or a WebSocket closed for bad credentials) and returns
    /// a newer token: the current one when it is already newer than the rejected one, otherwise one refresh (shared).
    /// </summary>
    /// <param name="rejected">The token the server refused.</param>
    /// <param name="cancellationToken">Stops this caller's wait.</param>
    /// <returns>A token newer than the rejected one (the same one when the credential cannot be refreshed).</returns>
    /// <exception cref="SalvoAuthenticationException">No token could be obtained.</exception>
    ValueTask<SalvoToken> RefreshAsync(SalvoToken rejected, CancellationToken cancellationToken = default);
}
