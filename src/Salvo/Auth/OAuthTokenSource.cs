using System.Net.Http.Headers;
using System.Text;
using Salvo.Http;

namespace Salvo.Auth;

/// <summary>Token requests to an OAuth 2.0 token endpoint: the client-credentials grant, or the refresh-token grant.</summary>
internal sealed class OAuthTokenSource : ITokenSource
{
    private const long MaxResponseBytes = 64 * 1024;

    private readonly Grant _options; // a copy: the options are read once, when the credential is created
    private readonly string? _initialRefreshToken;
    private readonly HttpMessageInvoker _backchannel;

    public OAuthTokenSource(OAuthTokenOptions options)
    {
        _options = new Grant(options.TokenEndpoint!, options.ClientId!, options.ClientSecret, options.Scope, options.Resource, options.ClientAuthentication);
        _initialRefreshToken = (options as RefreshTokenOptions)?.RefreshToken;
        Kind = options is RefreshTokenOptions ? "refresh-token" : "client-credentials";
        Describe = $"{Kind} at {Telemetry.Redaction.RedactUrl(options.TokenEndpoint)}";
        _backchannel = options.Backchannel is { } handler
            ? new HttpMessageInvoker(handler, disposeHandler: false)
            : new HttpMessageInvoker(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true);
    }

    public string Kind { get; }

    public string Describe { get; }

    public bool CanRefresh => true;

    // The initial refresh token identifies the grant; after rotation the newest one lives in the store under the same key.
    public IEnumerable<string?> IdentityParts =>
        [_options.TokenEndpoint.AbsoluteUri, _options.ClientId, _options.Scope, _options.Resource, _options.ClientSecret, _initialRefreshToken];

    public async ValueTask<SalvoToken> FetchAsync(SalvoToken? previous, DateTimeOffset obtainedAt, CancellationToken cancellationToken)
    {
        var refreshToken = _initialRefreshToken is null ? null : previous?.RefreshToken ?? _initialRefreshToken;
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.TokenEndpoint) { Content = new FormUrlEncodedContent(Form(refreshToken)) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_options.ClientAuthentication == ClientAuthenticationMethod.Basic && _options.ClientSecret is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicCredentials(_options.ClientId, _options.ClientSecret));
        using var response = await _backchannel.SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var body = await BodyReader.ReadAsync(response.Content, MaxResponseBytes, null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new TokenEndpointException(TokenResponseReader.Error(response.StatusCode, body.Span));
        return TokenResponseReader.Read(body.Span, obtainedAt, refreshToken);
    }

    public void Dispose() => _backchannel.Dispose();

    private List<KeyValuePair<string, string>> Form(string? refreshToken)
    {
        var form = new List<KeyValuePair<string, string>>(6);
        if (refreshToken is null)
        {
            form.Add(new("grant_type", "client_credentials"));
        }
        else
        {
            form.Add(new("grant_type", "refresh_token"));
            form.Add(new("refresh_token", refreshToken));
        }
        if (_options.ClientAuthentication == ClientAuthenticationMethod.Form || _options.ClientSecret is null)
            form.Add(new("client_id", _options.ClientId));
        if (_options.ClientAuthentication == ClientAuthenticationMethod.Form && _options.ClientSecret is not null)
            form.Add(new("client_secret", _options.ClientSecret));
        if (!string.IsNullOrEmpty(_options.Scope))
            form.Add(new("scope", _options.Scope));
        if (!string.IsNullOrEmpty(_options.Resource))
            form.Add(new("resource", _options.Resource));
        return form;
    }

    /// <summary>RFC 6749 section 2.3.1: both halves form-URL-encoded, then joined with ':' and base64-encoded.</summary>
    private static string BasicCredentials(string id, string secret) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FormEncode(id)}:{FormEncode(secret)}"));

    private static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);

    /// <summary>A class, not a record: a record's generated ToString would print the secret.</summary>
    private sealed class Grant(Uri tokenEndpoint, string clientId, string? clientSecret, string? scope, string? resource, ClientAuthenticationMethod clientAuthentication)
    {
        public Uri TokenEndpoint { get; } = tokenEndpoint;

        public string ClientId { get; } = clientId;

        public string? ClientSecret { get; } = clientSecret;

        public string? Scope { get; } = scope;

        public string? Resource { get; } = resource;

        public ClientAuthenticationMethod ClientAuthentication { get; } = clientAuthentication;
    }
}
