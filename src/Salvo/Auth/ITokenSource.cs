namespace Salvo.Auth;

/// <summary>Where new tokens come from: a fixed value, an OAuth 2.0 grant or a user's login delegate. Caching, refreshing and single flight are <see cref="SalvoAuth"/>'s.</summary>
internal interface ITokenSource : IDisposable
{
    /// <summary>The kind, e.g. <c>client-credentials</c>; part of the identity hash and of messages.</summary>
    string Kind { get; }

    /// <summary>A secret-free description for messages, e.g. <c>client-credentials at https://login.example.com/token</c>.</summary>
    string Describe { get; }

    /// <summary>Whether asking again can give a different token (false for a fixed bearer token or API key).</summary>
    bool CanRefresh { get; }

    /// <summary>The non-secret and secret parts that identify the credential, hashed into <see cref="SalvoAuth.IdentityHash"/>.</summary>
    IEnumerable<string?> IdentityParts { get; }

    /// <summary>Gets a new token.</summary>
    /// <param name="previous">The newest token known (its refresh token is the one to use), or <see langword="null"/>.</param>
    /// <param name="obtainedAt">When the request starts, for <c>expires_in</c>.</param>
    /// <param name="cancellationToken">Bounded by <see cref="SalvoAuthOptions.RefreshTimeout"/>.</param>
    ValueTask<SalvoToken> FetchAsync(SalvoToken? previous, DateTimeOffset obtainedAt, CancellationToken cancellationToken);
}
