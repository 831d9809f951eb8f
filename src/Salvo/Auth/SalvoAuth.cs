using Salvo.Telemetry;

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
public sealed partial class SalvoAuth : ISalvoTokenProvider, IDisposable
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

    /// <summary>A fixed bearer token, sent as <c>Authorization: Bearer &lt;token&gt;</c>. A 401 is final (there is nothing to refresh).</summary>
    /// <param name="token">The token.</param>
    /// <returns>The credential.</returns>
    public static SalvoAuth Bearer(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var value = new SalvoToken(token, DateTimeOffset.MaxValue); // fixed: used until a server refuses it, whatever a JWT says
        return new SalvoAuth(new StaticTokenSource("bearer", value, "authorization"), new SalvoAuthOptions(), CredentialPlacement.Authorization, value);
    }

    /// <summary>A fixed API key sent in a header (as is, no scheme), e.g. <c>X-Api-Key: &lt;key&gt;</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="headerName">The header; <c>Authorization</c> sends the raw key there.</param>
    /// <returns>The credential.</returns>
    public static SalvoAuth ApiKey(string key, string headerName = DefaultApiKeyHeader)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(headerName);
        var value = new SalvoToken(key, DateTimeOffset.MaxValue, "ApiKey");
        return new SalvoAuth(new StaticTokenSource("api-key", value, "header:" + headerName), new SalvoAuthOptions(), CredentialPlacement.InHeader(headerName), value);
    }

    /// <summary>A fixed API key sent as a query parameter, e.g. <c>?api_key=&lt;key&gt;</c>. Prefer a header: URLs end up in server logs.</summary>
    /// <param name="key">The key.</param>
    /// <param name="parameterName">The parameter; it must be a name Salvo redacts in logs and errors (it contains <c>key</c>, <c>token</c>, <c>auth</c>, ...).</param>
    /// <returns>The credential.</returns>
    /// <exception cref="ArgumentException">The parameter name is one <see cref="Redaction"/> would not mask, so the key could leak into a log.</exception>
    public static SalvoAuth ApiKeyInQuery(string key, string parameterName = DefaultApiKeyParameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(parameterName);
        if (!Redaction.IsSecretQueryParameter(parameterName))
            throw new ArgumentException($"'{parameterName}' is not a parameter name Salvo redacts (it must contain key, token, secret, auth, ...), so the key would appear in logs.", nameof(parameterName));
        var value = new SalvoToken(key, DateTimeOffset.MaxValue, "ApiKey");
        return new SalvoAuth(new StaticTokenSource("api-key", value, "query:" + parameterName), new SalvoAuthOptions(), CredentialPlacement.InQuery(parameterName), value);
    }

    /// <summary>OAuth 2.0 client credentials (RFC 6749 section 4.4): a service calling an API as itself.</summary>
    /// <param name="options">The token endpoint, client id and secret, scope, and refresh settings.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public static SalvoAuth ClientCredentials(ClientCredentialsOptions options)
    {
        SalvoAuthOptionsValidator.ThrowIfInvalid(options);
        return new SalvoAuth(new OAuthTokenSource(options), options, CredentialPlacement.Authorization);
    }

    /// <summary>OAuth 2.0 client credentials with the default refresh settings.</summary>
    /// <param name="tokenEndpoint">The token endpoint.</param>
    /// <param name="clientId">The client id.</param>
    /// <param name="clientSecret">The client secret.</param>
    /// <param name="scope">The scopes asked for, space-separated, or <see langword="null"/>.</param>
    /// <returns>The credential.</returns>
    public static SalvoAuth ClientCredentials(Uri tokenEndpoint, string clientId, string clientSecret, string? scope = null) =>
        ClientCredentials(new ClientCredentialsOptions { TokenEndpoint = tokenEndpoint, ClientId = clientId, ClientSecret = clientSecret, Scope = scope });

    /// <summary>
    /// OAuth 2.0 refresh-token grant (RFC 6749 section 6). Rotated refresh tokens are kept in the store, so use a
    /// <see cref="FileTokenStore"/> (or a shared store) when the newest refresh token must survive the process.
    /// </summary>
    /// <param name="options">The token endpoint, client, the refresh token to start from, and refresh settings.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public static SalvoAuth RefreshToken(RefreshTokenOptions options)
    {
        SalvoAuthOptionsValidator.ThrowIfInvalid(options);
        return new SalvoAuth(new OAuthTokenSource(options), options, CredentialPlacement.Authorization);
    }

    /// <summary>
    /// A custom login: any code that returns a token with its expiry (log in to an endpoint, read a vault). It is called
    /// for the first token, ahead of each expiry and after a 401 — once at a time however many calls wait.
    /// </summary>
    /// <param name="identity">Who logs in (e.g. the user name and the login URL): hashed into <see cref="IdentityHash"/>, so different logins never share a stored token.</param>
    /// <param name="login">Gets a new token; receives the newest token known (or <see langword="null"/>) and a token bounded by <see cref="SalvoAuthOptions.RefreshTimeout"/>.</param>
    /// <param name="options">Refresh settings; <see langword="null"/> for the defaults.</param>
    /// <returns>The credential.</returns>
    public static SalvoAuth Custom(string identity, Func<SalvoToken?, CancellationToken, ValueTask<SalvoToken>> login, SalvoAuthOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(identity);
        ArgumentNullException.ThrowIfNull(login);
        options ??= new SalvoAuthOptions();
        SalvoAuthOptionsValidator.ThrowIfInvalid(options);
        return new SalvoAuth(new DelegateTokenSource(identity, login), options, CredentialPlacement.Authorization);
    }

    /// <summary>A custom login that does not need the previous token.</summary>
    /// <param name="identity">Who logs in, hashed into <see cref="IdentityHash"/>.</param>
    /// <param name="login">Gets a new token.</param>
    /// <param name="options">Refresh settings; <see langword="null"/> for the defaults.</param>
    /// <returns>The credential.</returns>
    public static SalvoAuth Custom(string identity, Func<CancellationToken, ValueTask<SalvoToken>> login, SalvoAuthOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(login);
        return Custom(identity, (_, ct) => login(ct), options);
    }

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

    /// <summary>Disposes the connections of the credential's own token requests.</summary>
    public void Dispose() => _source.Dispose();
}
