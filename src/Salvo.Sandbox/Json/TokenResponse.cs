using System.Text.Json.Serialization;

namespace Salvo.Sandbox.Json;

/// <summary>An OAuth 2.0 token response (RFC 6749 section 5.1), in its snake_case wire names. <c>expires_in</c> is in seconds, with a fraction when the lifetime is not whole seconds.</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] double ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken = null);
