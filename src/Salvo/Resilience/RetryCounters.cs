namespace Salvo.Resilience;

/// <summary>What a <see cref="RetryHandler"/> has done since it was created. Safe to read at any time from any thread.</summary>
/// <remarks>Attempts per call are counted by the attempt-timeout handler and reported on each Salvo exception.</remarks>
public sealed class RetryCounters
{
    private long _retries;
    private long _overBudget;
    private long _exhausted;

    /// <summary>Retries sent (attempts after the first).</summary>
    public long Retries => Volatile.Read(ref _retries);

    /// <summary>Calls that failed at once because the wait before their next retry would have overrun the total budget.</summary>
    public long GaveUpOverBudget => Volatile.Read(ref _overBudget);

    /// <summary>Calls whose last permitted attempt still had a transient outcome.</summary>
    public long GaveUpAfterMaxRetries => Volatile.Read(ref _exhausted);

    internal void OnRetry() => Interlocked.Increment(ref _retries);

    internal void OnOverBudget() => Interlocked.Increment(ref _overBudget);

    internal void OnExhausted() => Interlocked.Increment(ref _exhausted);
}
