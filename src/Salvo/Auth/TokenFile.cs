using System.Text.Json.Serialization;

namespace Salvo.Auth;

/// <summary>What a <see cref="FileTokenStore"/> file holds: one token, in snake_case like an OAuth token response.</summary>
internal sealed record TokenFile(
    [property: JsonPropertyName("scheme")] string Scheme,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("obtained_at")] DateTimeOffset? ObtainedAt,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken)
{
    public static TokenFile From(SalvoToken token) => new(token.Scheme, token.Value, token.ExpiresAt, token.ObtainedAt, token.RefreshToken);

    /// <summary>Never the generated record text, which would print both tokens.</summary>
    public override string ToString() => $"TokenFile {{ Scheme = {Scheme}, ExpiresAt = {ExpiresAt:O} }}";

    public SalvoToken? ToToken() =>
        string.IsNullOrEmpty(AccessToken) || string.IsNullOrEmpty(Scheme)
            ? null
            : new SalvoToken(AccessToken, ExpiresAt, Scheme, RefreshToken) { ObtainedAt = ObtainedAt };
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenFile))]
internal sealed partial class TokenFileJson : JsonSerializerContext;
