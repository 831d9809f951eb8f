using System.Collections.Concurrent;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Auth;

/// <summary>Opaque bearer and refresh tokens issued by the Sandbox, with their expiry on the injected clock.</summary>
internal sealed class TokenStore(TimeProvider timeProvider, SandboxRandom random)
{
    private const int TokenBytes = 24;

    private readonly ConcurrentDictionary<string, TokenGrant> _grants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenGrant> _refreshGrants = new(StringComparer.Ordinal);

    public string Issue(string clientId, TimeSpan lifetime)
    {
        var token = NewToken("sbx_");
        _grants[token] = new TokenGrant(clientId, timeProvider.GetUtcNow() + lifetime);
        return token;
    }

    public string IssueRefresh(string clientId, TimeSpan? lifetime)
    {
        var token = NewToken("sbr_");
        _refreshGrants[token] = new TokenGrant(clientId, lifetime is { } l ? timeProvider.GetUtcNow() + l : DateTimeOffset.MaxValue);
        return token;
    }

    /// <summary>True when the token was issued, not revoked, and has not expired; expired tokens are forgotten.</summary>
    public bool Validate(string token) => IsLive(_grants, token, out _);

    /// <summary>Takes a live refresh token of <paramref name="clientId"/> out of use (rotation: it works exactly once).</summary>
    public bool Redeem(string refreshToken, string clientId) =>
        IsLive(_refreshGrants, refreshToken, out var grant)
        && string.Equals(grant.ClientId, clientId, StringComparison.Ordinal)
        && _refreshGrants.TryRemove(refreshToken, out _);

    /// <summary>Revokes one access or refresh token (RFC 7009); true when it was live.</summary>
    public bool Revoke(string token) => _grants.TryRemove(token, out _) | _refreshGrants.TryRemove(token, out _);

    /// <summary>Revokes every access token; returns how many there were.</summary>
    public int RevokeAll()
    {
        var count = _grants.Count;
        _grants.Clear();
        return count;
    }

    private bool IsLive(ConcurrentDictionary<string, TokenGrant> grants, string token, out TokenGrant grant)
    {
        if (!grants.TryGetValue(token, out grant!))
            return false;
        if (timeProvider.GetUtcNow() < grant.ExpiresAt)
            return true;
        grants.TryRemove(token, out _);
        return false;
    }

    private string NewToken(string prefix)
    {
        Span<byte> bytes = stackalloc byte[TokenBytes];
        random.NextBytes(bytes);
        return prefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private sealed record TokenGrant(string ClientId, DateTimeOffset ExpiresAt);
}
