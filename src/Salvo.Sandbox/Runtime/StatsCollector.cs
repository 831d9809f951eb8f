using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Salvo.Sandbox.Runtime;

/// <summary>The live counters behind <see cref="SandboxStats"/>; every update is a single interlocked operation.</summary>
internal sealed class StatsCollector
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _byRoute = new(StringComparer.Ordinal);
    private long _total;
    private long _inFlight;
    private long _maxInFlight;
    private long _rateLimited;
    private long _serviceLimited;
    private long _unauthorized;
    private long _notModified;
    private long _serviceUnavailable;
    private long _faults;
    private long _resets;
    private long _hangs;
    private long _slow;
    private long _tokens;
    private long _connections;
    private long _bursts;
    private long _tokenRequests;
    private long _rotated;
    private long _revoked;

    public long InFlight => Interlocked.Read(ref _inFlight);

    public void RequestStarted(string route)
    {
        Interlocked.Increment(ref _total);
        Interlocked.Increment(ref _byRoute.GetOrAdd(route, static _ => new StrongBox<long>()).Value);
        var inFlight = Interlocked.Increment(ref _inFlight);
        var max = Interlocked.Read(ref _maxInFlight);
        while (inFlight > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxInFlight, inFlight, max);
            if (seen == max)
                break;
            max = seen;
        }
    }

    public void RequestEnded() => Interlocked.Decrement(ref _inFlight);

    public void RateLimited() => Interlocked.Increment(ref _rateLimited);

    public void ServiceLimited() => Interlocked.Increment(ref _serviceLimited);

    public void Unauthorized() => Interlocked.Increment(ref _unauthorized);

    public void NotModified() => Interlocked.Increment(ref _notModified);

    public void ServiceUnavailable() => Interlocked.Increment(ref _serviceUnavailable);

    public void FaultInjected() => Interlocked.Increment(ref _faults);

    public void ConnectionReset() => Interlocked.Increment(ref _resets);

    public void Hang() => Interlocked.Increment(ref _hangs);

    public void SlowResponse() => Interlocked.Increment(ref _slow);

    public void TokenIssued() => Interlocked.Increment(ref _tokens);

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);

    public void BurstRejected() => Interlocked.Increment(ref _bursts);

    public void TokenRequested() => Interlocked.Increment(ref _tokenRequests);

    public void RefreshTokenRotated() => Interlocked.Increment(ref _rotated);

    public void TokensRevoked(long count) => Interlocked.Add(ref _revoked, count);

    public SandboxStats Snapshot() => new()
    {
        TotalRequests = Interlocked.Read(ref _total),
        RequestsByRoute = _byRoute
            .Select(p => KeyValuePair.Create(p.Key, Interlocked.Read(ref p.Value.Value)))
            .Where(p => p.Value > 0)
            .ToDictionary(StringComparer.Ordinal),
        InFlight = Interlocked.Read(ref _inFlight),
        MaxInFlight = Interlocked.Read(ref _maxInFlight),
        RateLimited429 = Interlocked.Read(ref _rateLimited),
        ServiceLimited429 = Interlocked.Read(ref _serviceLimited),
        Unauthorized401 = Interlocked.Read(ref _unauthorized),
        NotModified304 = Interlocked.Read(ref _notModified),
        ServiceUnavailable503 = Interlocked.Read(ref _serviceUnavailable),
        FaultsInjected = Interlocked.Read(ref _faults),
        ConnectionResets = Interlocked.Read(ref _resets),
        Hangs = Interlocked.Read(ref _hangs),
        SlowResponses = Interlocked.Read(ref _slow),
        TokensIssued = Interlocked.Read(ref _tokens),
        ConnectionsOpened = Interlocked.Read(ref _connections),
        BurstRejected429 = Interlocked.Read(ref _bursts),
        TokenRequests = Interlocked.Read(ref _tokenRequests),
        RefreshTokensRotated = Interlocked.Read(ref _rotated),
        TokensRevoked = Interlocked.Read(ref _revoked),
    };

    /// <summary>Zeroes every counter except the requests still in flight, which become the new maximum.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _total, 0);
        foreach (var box in _byRoute.Values)
            Interlocked.Exchange(ref box.Value, 0);
        Interlocked.Exchange(ref _maxInFlight, Interlocked.Read(ref _inFlight));
        Interlocked.Exchange(ref _rateLimited, 0);
        Interlocked.Exchange(ref _serviceLimited, 0);
        Interlocked.Exchange(ref _unauthorized, 0);
        Interlocked.Exchange(ref _notModified, 0);
        Interlocked.Exchange(ref _serviceUnavailable, 0);
        Interlocked.Exchange(ref _faults, 0);
        Interlocked.Exchange(ref _resets, 0);
        Interlocked.Exchange(ref _hangs, 0);
        Interlocked.Exchange(ref _slow, 0);
        Interlocked.Exchange(ref _tokens, 0);
        Interlocked.Exchange(ref _connections, 0);
        Interlocked.Exchange(ref _bursts, 0);
        Interlocked.Exchange(ref _tokenRequests, 0);
        Interlocked.Exchange(ref _rotated, 0);
        Interlocked.Exchange(ref _revoked, 0);
    }
}
