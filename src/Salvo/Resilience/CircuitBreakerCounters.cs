namespace Salvo.Resilience;

/// <summary>What a <see cref="CircuitBreakerHandler"/> has done since it was created. Safe to read at any time from any thread.</summary>
public sealed class CircuitBreakerCounters
{
    private long _opened;
    private long _rejected;
    private long _untracked;

    /// <summary>How many times a circuit opened (a failed half-open trial counts again).</summary>
    public long Opened => Volatile.Read(ref _opened);

    /// <summary>Calls refused, unsent, because their host's circuit was open.</summary>
    public long Rejected => Volatile.Read(ref _rejected);

    /// <summary>Calls that went through without a breaker because <see cref="CircuitBreakerOptions.MaxHosts"/> origins were already tracked.</summary>
    public long Untracked => Volatile.Read(ref _untracked);

    internal void OnOpened() => Interlocked.Increment(ref _opened);

    internal void OnRejected() => Interlocked.Increment(ref _rejected);

    internal void OnUntracked() => Interlocked.Increment(ref _untracked);
}
