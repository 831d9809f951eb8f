namespace Salvo.RateLimiting;

/// <summary>What a <see cref="SalvoRateLimiter"/> has done since it was created. Safe to read at any time from any thread.</summary>
public sealed class RateLimitCounters
{
    private long _admitted;
    private long _waited;
    private long _throttled;
    private long _paused;
    private long _serviceThrottled;

    /// <summary>Requests admitted (with or without waiting).</summary>
    public long Admitted => Volatile.Read(ref _admitted);

    /// <summary>Requests that had to wait for room (or for a probe's answer) before being admitted or given up on.</summary>
    public long Waited => Volatile.Read(ref _waited);

    /// <summary>Requests held back with a <see cref="SalvoThrottledException"/> (or a failed lease): nothing was sent.</summary>
    public long Throttled => Volatile.Read(ref _throttled);

    /// <summary>Pauses begun because the server answered 429 for a quota.</summary>
    public long Paused => Volatile.Read(ref _paused);

    /// <summary>429 answers treated as backend load (<c>X-Rate-Limit-Type: service</c>, or no rate-limit information at all): no pause.</summary>
    public long ServiceThrottled => Volatile.Read(ref _serviceThrottled);

    internal void OnAdmitted() => Interlocked.Increment(ref _admitted);

    internal void OnWaited() => Interlocked.Increment(ref _waited);

    internal void OnThrottled() => Interlocked.Increment(ref _throttled);

    internal void OnPaused() => Interlocked.Increment(ref _paused);

    internal void OnServiceThrottled() => Interlocked.Increment(ref _serviceThrottled);
}
