namespace Salvo.Auth;

/// <summary>
/// A credential and its current token: what <see cref="SalvoClientOptions.Auth"/> holds. Create one with
/// <see cref="Bearer"/>, <see cref="ApiKey"/>, <see cref="ApiKeyInQuery"/>, <see cref="ClientCredentials(ClientCredentialsOptions)"/>,
/// <see cref="RefreshToken(RefreshTokenOptions)"/> or <see cref="Custom(string, Func{SalvoToken?, CancellationToken, ValueTask{SalvoToken}}, SalvoAuthOptions?)"/>.
/// </summary>
/// <remarks>
/// <para>Refreshing credentials refresh ahead of expiry (<see cref="SalvoAuthOptions.RefreshSkew"/>) in the background,
/// and in single flight: however many calls find the token due, expired or rejected, one token request runs and all of
/// them use its result. A failed request is not kept: every call waiting for it gets a
/// <see cref="SalvoAuthenticationException"/>, and the next request starts no earlier than the failure backoff, so an
/// outage of the token endpoint costs it one request per backoff, not one per call.</para>
/// <para>One instance may be shared by several clients (they then share one token). It owns the connections of its token
/// requests (unless <see cref="OAuthTokenOptions.Backchannel"/> is given): dispose it when no client uses it any more.
/// A <see cref="SalvoClient"/> never disposes it.</para>
/// </remarks>
public sealed partial class SalvoAuth : ISalvoTokenProvider, IAsyncDisposable, IDisposable
{
    /// <summary>The default header of <see cref="ApiKey"/>.</summary>
    /// <value>The value is <c>X-Api-Key</c>.</value>
    public const string DefaultApiKeyHeader = "X-Api-Key";

    /// <summary>The default query parameter of <see cref="ApiKeyInQuery"/>.</summary>
    /// <value>The value is <c>api_key</c>.</value>
    public const string DefaultApiKeyParameter = "api_key";

    private readonly ITokenSource _source;
    private readonly TimeProvider _time;
    private readonly ISalvoTokenStore _store;

    private SalvoAuth(ITokenSource source, SalvoAuthOptions options, CredentialPlacement placement, SalvoToken? fixedToken = null)
    {
        _source = source;
        Placement = placement;
        _time = options.TimeProvider ?? TimeProvider.System;
        _store = options.Store ?? new MemoryTokenStore();
        RefreshSkew = options.RefreshSkew;
        MaxUnauthorizedReplays = source.CanRefresh ? options.MaxUnauthorizedReplays : 0;
        _refreshTimeout = options.RefreshTimeout;
        _failureBackoff = options.FailureBackoff;
        _maxFailureBackoff = options.MaxFailureBackoff;
        IdentityHash = Auth.IdentityHash.Of(source.Kind, source.IdentityParts);
        if (fixedToken is not null)
            _current = new TokenEntry(fixedToken, TimeSpan.Zero, _time.GetUtcNow());
    }

    /// <inheritdoc />
    public string IdentityHash { get; }

    /// <summary>The kind of credential: <c>bearer</c>, <c>api-key</c>, <c>client-credentials</c>, <c>refresh-token</c> or <c>custom</c>.</summary>
    public string Kind => _source.Kind;

    /// <summary>How long before expiry a token is refreshed (capped at a tenth of its lifetime).</summary>
    public TimeSpan RefreshSkew { get; }

    /// <summary>How many times a request is replayed after a 401 (0 for a fixed token or key, which a refresh cannot change).</summary>
    public int MaxUnauthorizedReplays { get; }

    /// <summary>What this credential has done: token requests, expiries, rejections, replays.</summary>
    public SalvoAuthCounters Counters { get; } = new();

    internal CredentialPlacement Placement { get; }

    /// <summary>
    /// The value to authenticate a new connection with (a WebSocket's <c>connection_init</c> payload, an SSE reconnect):
    /// <c>Bearer &lt;token&gt;</c>, or the raw key for an API key. Call it on every (re)connect: it is always a currently valid token.
    /// </summary>
    /// <param name="cancellationToken">Stops the wait for a refresh.</param>
    /// <returns>The value. Secret: never log it.</returns>
    /// <exception cref="SalvoAuthenticationException">No token could be obtained.</exception>
    public async ValueTask<string> GetAuthorizationValueAsync(CancellationToken cancellationToken = default)
    {
        var token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return Placement.Header is null && Placement.Query is null ? token.ToAuthorizationValue() : token.Value;
    }

    /// <summary>
    /// The credential for a new connection, named as it travels on HTTP: (<c>Authorization</c>, <c>Bearer &lt;token&gt;</c>),
    /// the API key's header and the raw key, or the query parameter and the key. Call it on every (re)connect — it is always
    /// a currently valid token — and call <see cref="RefreshAsync"/> when the server rejects the connection's credential.
    /// </summary>
    /// <param name="cancellationToken">Stops the wait for a refresh.</param>
    /// <returns>The credential. Secret: never log its value.</returns>
    /// <exception cref="SalvoAuthenticationException">No token could be obtained.</exception>
    public async ValueTask<SalvoCredential> GetConnectionCredentialAsync(CancellationToken cancellationToken = default)
    {
        var value = await GetAuthorizationValueAsync(cancellationToken).ConfigureAwait(false);
        return Placement.Query is { } parameter
            ? new SalvoCredential(parameter, value, IsQueryParameter: true)
            : new SalvoCredential(Placement.Header ?? "Authorization", value, IsQueryParameter: false);
    }

    /// <summary>Disposes the connections of the credential's own token requests.</summary>
    public void Dispose() => _source.Dispose();

    /// <summary>Disposes the connections of the credential's own token requests.</summary>
    /// <returns>A completed task; connection shutdown happens in the background.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
