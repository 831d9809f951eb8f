namespace Salvo.Resilience;

/// <summary>What a <see cref="HedgingHandler"/> has done since it was created. Safe to read at any time from any thread.</summary>
public sealed class HedgingCounters
{
    private long _hedged;
    private long _won;
    private long _denied;

    /// <summary>Hedges sent (second attempts).</summary>
    public long Hedged => Volatile.Read(ref _hedged);

    /// <summary>Hedges whose answer was used because it came first (or the first attempt failed).</summary>
    public long HedgesWon => Volatile.Read(ref _won);

    /// <summary>
    /// Times a hedge was due but the host's hedge budget had no room. A call the budget refuses asks again after each
    /// further delay while its first attempt runs, so one slow call can be refused more than once.
    /// </summary>
    public long DeniedByBudget => Volatile.Read(ref _denied);

    internal void OnHedged() => Interlocked.Increment(ref _hedged);

    internal void OnHedgeWon() => Interlocked.Increment(ref _won);

    internal void OnDenied() => Interlocked.Increment(ref _denied);
}
