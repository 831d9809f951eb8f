using System.Collections.Concurrent;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Auth;

/// <summary>Opaque bearer tokens issued by the Sandbox, with their expiry on the injected clock.</summary>
internal sealed class TokenStore(TimeProvider timeProvider, SandboxRandom random)
{
    private const int TokenBytes = 24;

    private readonly ConcurrentDictionary<string, TokenGrant> _grants = new(StringComparer.Ordinal);

    public string Issue(string clientId, TimeSpan lifetime)
    {
        Span<byte> bytes = stackalloc byte[TokenBytes];
        random.NextBytes(bytes);
        var token = "sbx_" + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _grants[token] = new TokenGrant(clientId, timeProvider.GetUtcNow() + lifetime);
        return token;
    }

    /// <summary>True when the token was issued, not revoked, and has not expired; expired tokens are forgotten.</summary>
    public bool Validate(string token)
    {
        if (!_grants.TryGetValue(token, out var grant))
            return false;
        if (timeProvider.GetUtcNow() < grant.ExpiresAt)
            return true;
        _grants.TryRemove(token, out _);
        return false;
    }

    public void RevokeAll() => _grants.Clear();

    private sealed record TokenGrant(string ClientId, DateTimeOffset ExpiresAt);
}
