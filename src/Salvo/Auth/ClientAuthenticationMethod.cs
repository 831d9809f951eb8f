namespace Salvo.Auth;

/// <summary>How a client proves its identity to an OAuth 2.0 token endpoint.</summary>
public enum ClientAuthenticationMethod
{
    /// <summary>HTTP Basic with the form-encoded client id and secret (RFC 6749 section 2.3.1, <c>client_secret_basic</c>).</summary>
    Basic,

    /// <summary><c>client_id</c> and <c>client_secret</c> in the form body (<c>client_secret_post</c>).</summary>
    Form,
}
