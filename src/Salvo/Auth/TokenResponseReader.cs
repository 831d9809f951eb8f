using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Salvo.Auth;

/// <summary>Reads an OAuth 2.0 token response (RFC 6749 section 5.1) or error response (section 5.2).</summary>
/// <remarks>
/// Lenient where real servers are: <c>expires_in</c> may be a number (fractions allowed) or a numeric string, and
/// <c>token_type</c> <c>bearer</c> in any case is <c>Bearer</c>. Without <c>expires_in</c>, a JWT's <c>exp</c> is used.
/// </remarks>
internal static class TokenResponseReader
{
    public static SalvoToken Read(ReadOnlySpan<byte> body, DateTimeOffset obtainedAt, string? previousRefreshToken)
    {
        string? accessToken = null, tokenType = null, refreshToken = null;
        double? expiresIn = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw Invalid();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "access_token" when reader.TokenType == JsonTokenType.String: accessToken = reader.GetString(); break;
                    case "token_type" when reader.TokenType == JsonTokenType.String: tokenType = reader.GetString(); break;
                    case "refresh_token" when reader.TokenType == JsonTokenType.String: refreshToken = reader.GetString(); break;
                    case "expires_in": expiresIn = Seconds(ref reader); break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (JsonException)
        {
            throw Invalid();
        }
        if (string.IsNullOrEmpty(accessToken))
            throw Invalid();
        var scheme = string.IsNullOrEmpty(tokenType) || tokenType.Equals(SalvoToken.BearerScheme, StringComparison.OrdinalIgnoreCase)
            ? SalvoToken.BearerScheme
            : tokenType;
        var expiresAt = expiresIn is { } seconds ? obtainedAt + TimeSpan.FromSeconds(seconds) : (DateTimeOffset?)null;
        // A server that does not rotate refresh tokens sends none with a refreshed token: the old one stays good.
        return new SalvoToken(accessToken, expiresAt, scheme, refreshToken ?? previousRefreshToken) { ObtainedAt = obtainedAt };
    }

    /// <summary>The failure an error status stands for, with the OAuth <c>error</c> code when the body has one.</summary>
    public static RefreshFailure Error(HttpStatusCode status, ReadOnlySpan<byte> body)
    {
        var error = ErrorCode(body);
        var transient = SalvoHttpException.IsTransientStatus(status) || (int)status >= 500;
        var code = error is null ? "" : $" ({error})";
        return new RefreshFailure($"was refused: the token endpoint responded {(int)status}{code}", status, error, transient, null);
    }

    private static TokenEndpointException Invalid() =>
        new(new RefreshFailure("failed: the token endpoint's answer has no access_token", HttpStatusCode.OK, null, IsTransient: false, null));

    private static double? Seconds(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number))
            return number > 0 ? number : null;
        if (reader.TokenType == JsonTokenType.String
            && double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            return parsed > 0 ? parsed : null;
        reader.Skip();
        return null;
    }

    private static string? ErrorCode(ReadOnlySpan<byte> body)
    {
        if (!FlatJson.TryFind(body, "error"u8, out var reader) || reader.TokenType != JsonTokenType.String)
            return null;
        // RFC 6749 limits error codes to printable ASCII without quote or backslash; anything else is not echoed.
        var code = reader.GetString();
        return code is { Length: > 0 and <= 64 } && code.All(c => c is >= ' ' and <= '~' and not '"' and not '\\') ? code : null;
    }
}
