namespace Salvo.Auth;

/// <summary>What a <see cref="SalvoAuth"/> has done so far. Every count is a single interlocked update; no secret is ever recorded.</summary>
public sealed class SalvoAuthCounters
{
    private long _tokenRequests;
    private long _failures;
    private long _expired;
    private long _rejected;
    private long _replays;
    private long _fromStore;
    private long _storeErrors;

    /// <summary>Token requests sent (to the token endpoint, or calls of a custom login).</summary>
    public long TokenRequests => Interlocked.Read(ref _tokenRequests);

    /// <summary>Token requests that failed.</summary>
    public long RefreshFailures => Interlocked.Read(ref _failures);

    /// <summary>Tokens that reached their refresh point (expiry minus skew) while current; each token is counted once.</summary>
    public long TokensExpired => Interlocked.Read(ref _expired);

    /// <summary>Current tokens a server rejected (401) before they were due; each token is counted once.</summary>
    public long TokensRejected => Interlocked.Read(ref _rejected);

    /// <summary>Requests sent again with a newer token after a 401.</summary>
    public long Replayed401 => Interlocked.Read(ref _replays);

    /// <summary>Tokens taken from the store (another process's, or a previous run's) instead of requested.</summary>
    public long TokensFromStore => Interlocked.Read(ref _fromStore);

    /// <summary>Store reads and writes that failed (the token was still used; it just was not kept).</summary>
    public long StoreErrors => Interlocked.Read(ref _storeErrors);

    internal void OnTokenRequest() => Interlocked.Increment(ref _tokenRequests);

    internal void OnFailure() => Interlocked.Increment(ref _failures);

    internal void OnExpired() => Interlocked.Increment(ref _expired);

    internal void OnRejected() => Interlocked.Increment(ref _rejected);

    internal void OnReplay() => Interlocked.Increment(ref _replays);

    internal void OnFromStore() => Interlocked.Increment(ref _fromStore);

    internal void OnStoreError() => Interlocked.Increment(ref _storeErrors);
}
