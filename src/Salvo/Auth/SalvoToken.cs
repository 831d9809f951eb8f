namespace Salvo.Auth;

/// <summary>
/// An access token (or API key) and what Salvo needs to know about it: its scheme, when it expires and the refresh
/// token that came with it. <see cref="ToString"/> never shows the secret.
/// </summary>
/// <remarks>
/// When no expiry is given and <see cref="Value"/> is a JSON Web Token with an <c>exp</c> claim, that claim is the
/// expiry (the signature is not checked: the client only needs to know when to refresh, the server decides
/// validity). A token without any expiry is used until a server rejects it with 401.
/// </remarks>
public sealed class SalvoToken
{
    /// <summary>The scheme of an OAuth 2.0 access token.</summary>
    /// <value>The value is <c>Bearer</c>.</value>
    public const string BearerScheme = "Bearer";

    /// <summary>Creates a token.</summary>
    /// <param name="value">The secret value sent to the server.</param>
    /// <param name="expiresAt">When it expires; <see langword="null"/> to read a JWT's <c>exp</c>, or for a token that does not expire.</param>
    /// <param name="scheme">The Authorization scheme, e.g. <c>Bearer</c>.</param>
    /// <param name="refreshToken">The refresh token issued with it, if any.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> or <paramref name="scheme"/> is empty.</exception>
    public SalvoToken(string value, DateTimeOffset? expiresAt = null, string scheme = BearerScheme, string? refreshToken = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        Value = value;
        Scheme = scheme;
        ExpiresAt = expiresAt ?? JwtExpiry.Read(value);
        RefreshToken = string.IsNullOrEmpty(refreshToken) ? null : refreshToken;
    }

    /// <summary>The secret value sent to the server. Never log it.</summary>
    public string Value { get; }

    /// <summary>The Authorization scheme, e.g. <c>Bearer</c>.</summary>
    public string Scheme { get; }

    /// <summary>When the token expires, or <see langword="null"/> when it is not known to expire.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>The refresh token issued with this token, if any; a rotating server issues a new one with every token.</summary>
    public string? RefreshToken { get; }

    /// <summary>When the token was obtained (set by Salvo when the token request was sent), used to cap the refresh skew to a share of its lifetime.</summary>
    public DateTimeOffset? ObtainedAt { get; init; }

    /// <summary>Creates a token that expires <paramref name="expiresIn"/> after <paramref name="obtainedAt"/>, as an OAuth <c>expires_in</c> says.</summary>
    /// <param name="value">The secret value.</param>
    /// <param name="expiresIn">The lifetime the server announced.</param>
    /// <param name="obtainedAt">When the token request was sent (the conservative start of its life).</param>
    /// <param name="refreshToken">The refresh token issued with it, if any.</param>
    /// <returns>The token.</returns>
    public static SalvoToken ExpiringIn(string value, TimeSpan expiresIn, DateTimeOffset obtainedAt, string? refreshToken = null) =>
        new(value, obtainedAt + expiresIn, BearerScheme, refreshToken) { ObtainedAt = obtainedAt };

    /// <summary>The value of an <c>Authorization</c> header for this token, e.g. <c>Bearer abc</c>. Secret: never log it.</summary>
    /// <returns>The scheme, a space and the value.</returns>
    public string ToAuthorizationValue() => string.Concat(Scheme, " ", Value);

    /// <summary>Describes the token without its secret.</summary>
    /// <returns>The scheme and the expiry, with the value masked.</returns>
    public override string ToString() =>
        ExpiresAt is { } at ? $"{Scheme} {Telemetry.Redaction.Mask} (expires {at:O})" : $"{Scheme} {Telemetry.Redaction.Mask}";
}
