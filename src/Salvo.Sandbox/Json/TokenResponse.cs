using System.Text.Json.Serialization;

namespace Salvo.Sandbox.Json;

/// <summary>An OAuth 2.0 token response (RFC 6749 section 5.1), in its snake_case wire names.</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn);
