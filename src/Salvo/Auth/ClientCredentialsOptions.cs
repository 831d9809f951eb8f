namespace Salvo.Auth;

/// <summary>The OAuth 2.0 client-credentials grant (RFC 6749 section 4.4): a service calling an API as itself.</summary>
public sealed class ClientCredentialsOptions : OAuthTokenOptions;
