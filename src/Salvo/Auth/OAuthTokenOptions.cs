namespace Salvo.Auth;

/// <summary>What an OAuth 2.0 token request needs (RFC 6749): the token endpoint, the client's credentials and the scope asked for.</summary>
public abstract class OAuthTokenOptions : SalvoAuthOptions
{
    /// <summary>The token endpoint, e.g. <c>https://login.example.com/oauth2/token</c>.</summary>
    /// <value>The default value is <see langword="null"/>; it is required.</value>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>The client id.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ClientId { get; set; }

    /// <summary>The client secret. Secret: never logged, hashed into <see cref="SalvoAuth.IdentityHash"/> only.</summary>
    /// <value>The default value is <see langword="null"/> (a public client).</value>
    public string? ClientSecret { get; set; }

    /// <summary>The space-separated scopes asked for; tokens for different scopes are kept apart.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Scope { get; set; }

    /// <summary>The resource (RFC 8707) or audience the token is for; tokens for different resources are kept apart.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Resource { get; set; }

    /// <summary>How the client authenticates to the token endpoint.</summary>
    /// <value>The default value is <see cref="ClientAuthenticationMethod.Basic"/> (RFC 6749 section 2.3.1 says servers must support it).</value>
    public ClientAuthenticationMethod ClientAuthentication { get; set; } = ClientAuthenticationMethod.Basic;

    /// <summary>The handler token requests are sent through (a test stub, or a configured <see cref="SocketsHttpHandler"/>); Salvo never disposes it.</summary>
    /// <value>The default value is <see langword="null"/>: a pooled handler of the credential's own, without redirects or cookies.</value>
    public HttpMessageHandler? Backchannel { get; set; }
}
