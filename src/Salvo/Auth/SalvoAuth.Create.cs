using Salvo.Telemetry;

namespace Salvo.Auth;

// The factories: one per kind of credential.
public sealed partial class SalvoAuth
{
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
}
