namespace Salvo.Auth;

/// <summary>A user's login: any code that returns a token and its expiry (the seeds' "log in to an endpoint" case).</summary>
internal sealed class DelegateTokenSource(string identity, Func<SalvoToken?, CancellationToken, ValueTask<SalvoToken>> login) : ITokenSource
{
    public string Kind => "custom";

    public string Describe => "custom login";

    public bool CanRefresh => true;

    public IEnumerable<string?> IdentityParts => [identity];

    public async ValueTask<SalvoToken> FetchAsync(SalvoToken? previous, DateTimeOffset obtainedAt, CancellationToken cancellationToken)
    {
        var token = await login(previous, cancellationToken).ConfigureAwait(false)
            ?? throw new TokenEndpointException(new RefreshFailure("returned no token", null, null, IsTransient: false, null));
        return token.ObtainedAt is null ? new SalvoToken(token.Value, token.ExpiresAt, token.Scheme, token.RefreshToken) { ObtainedAt = obtainedAt } : token;
    }

    public void Dispose()
    {
    }
}
