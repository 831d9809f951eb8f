namespace Salvo.Auth;

/// <summary>A bearer token or API key given once: never refreshed, so a 401 is final.</summary>
internal sealed class StaticTokenSource(string kind, SalvoToken token, string placement) : ITokenSource
{
    public string Kind => kind;

    public string Describe => kind;

    public bool CanRefresh => false;

    public IEnumerable<string?> IdentityParts => [placement, token.Value];

    public ValueTask<SalvoToken> FetchAsync(SalvoToken? previous, DateTimeOffset obtainedAt, CancellationToken cancellationToken) => new(token);

    public void Dispose()
    {
    }
}
