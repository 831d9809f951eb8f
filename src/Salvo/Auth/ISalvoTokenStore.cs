namespace Salvo.Auth;

/// <summary>
/// Where tokens live between refreshes, keyed by a credential's <see cref="SalvoAuth.IdentityHash"/> (a hash of the
/// provider kind, endpoint, client id, scope, resource and secret, so two scopes never get each other's token and the
/// key reveals nothing). Implementations: <see cref="MemoryTokenStore"/> (the default), <see cref="FileTokenStore"/>
/// (a CLI run reuses a valid token); a shared store (Redis) lets many workers share one token.
/// </summary>
/// <remarks>
/// A store may be shared by several credentials and processes: before fetching a new token, Salvo reads the store, and
/// uses a token another process stored if it is newer than the one that expired or was rejected. Calls are rare (on a
/// refresh, never per request). Implementations must be safe for concurrent use and must never log token values.
/// </remarks>
public interface ISalvoTokenStore
{
    /// <summary>Reads the token stored under a key.</summary>
    /// <param name="key">The credential's <see cref="SalvoAuth.IdentityHash"/> (lowercase hex).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The token, or <see langword="null"/> when there is none (or it cannot be read).</returns>
    ValueTask<SalvoToken?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores a token under a key, replacing what was there.</summary>
    /// <param name="key">The credential's <see cref="SalvoAuth.IdentityHash"/>.</param>
    /// <param name="token">The token, with its refresh token.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the token is stored.</returns>
    ValueTask SetAsync(string key, SalvoToken token, CancellationToken cancellationToken = default);

    /// <summary>Forgets the token stored under a key.</summary>
    /// <param name="key">The credential's <see cref="SalvoAuth.IdentityHash"/>.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when the token is gone.</returns>
    ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default);
}
