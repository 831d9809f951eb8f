using System.Net.Http.Headers;

namespace Salvo.Auth;

/// <summary>
/// A token as <see cref="SalvoAuth"/> holds it: when it is due for refresh, when it expires, whether a server
/// rejected it, and its header value built once (not per request).
/// </summary>
internal sealed class TokenEntry
{
    private int _retired;
    private volatile bool _rejected;

    public TokenEntry(SalvoToken token, TimeSpan skew, DateTimeOffset now)
    {
        Token = token;
        if (token.ExpiresAt is { } expires)
        {
            var lifetime = expires - (token.ObtainedAt ?? now);
            var share = TimeSpan.FromTicks((long)(Math.Max(0, lifetime.Ticks) * SalvoAuthOptions.MaxSkewShare));
            ExpiresAt = expires;
            DueAt = expires - (skew < share ? skew : share);
        }
        else
        {
            ExpiresAt = DateTimeOffset.MaxValue;
            DueAt = DateTimeOffset.MaxValue;
        }
        Authorization = new AuthenticationHeaderValue(token.Scheme, token.Value);
    }

    public SalvoToken Token { get; }

    /// <summary>From here on a refresh runs in the background while callers keep using the token.</summary>
    public DateTimeOffset DueAt { get; }

    /// <summary>From here on callers wait for a new token.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The Authorization header value, shared by every request (the type is immutable once built).</summary>
    public AuthenticationHeaderValue Authorization { get; }

    public bool Rejected => _rejected;

    /// <summary>Usable by a caller now: not rejected and not expired.</summary>
    public bool IsValidAt(DateTimeOffset now) => !_rejected && now < ExpiresAt;

    public void Reject() => _rejected = true;

    /// <summary>Marks the token as done with (due or rejected); true the first time only, so each token is counted once.</summary>
    public bool Retire() => Interlocked.Exchange(ref _retired, 1) == 0;
}
