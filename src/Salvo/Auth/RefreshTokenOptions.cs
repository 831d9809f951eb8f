namespace Salvo.Auth;

/// <summary>
/// The OAuth 2.0 refresh-token grant (RFC 6749 section 6): access tokens bought with a long-lived refresh token. A server
/// that rotates refresh tokens sends a new one with every access token; Salvo keeps the newest in the
/// <see cref="SalvoAuthOptions.Store"/>, so with a <see cref="FileTokenStore"/> the next run starts from it.
/// </summary>
public sealed class RefreshTokenOptions : OAuthTokenOptions
{
    /// <summary>The refresh token to start from (used when the store holds no newer one). Secret: never logged.</summary>
    /// <value>The default value is <see langword="null"/>; it is required.</value>
    public string? RefreshToken { get; set; }
}
