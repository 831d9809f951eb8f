namespace Salvo.Resilience;

/// <summary>What hedging knows about one origin: its recent latencies and its hedge budget.</summary>
internal sealed class HostHedging
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _idleAfter;
    private readonly TimeSpan _fallbackDelay;
    private readonly LatencyWindow? _latencies;
    private long _lastUsed;

    public HostHedging(HedgingOptions options, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _idleAfter = options.BudgetWindow;
        _fallbackDelay = options.Delay;
        _latencies = options.Percentile is { } p ? new LatencyWindow(options.WindowSize, p) : null;
        Budget = new HedgeBudget(options.BudgetRatio, options.BudgetWindow, timeProvider);
        _lastUsed = timeProvider.GetTimestamp();
    }

    public HedgeBudget Budget { get; }

    /// <summary>How long the first attempt may run before a hedge is sent: the live percentile, else the fixed delay.</summary>
    public TimeSpan Delay => _latencies?.Percentile is { } p ? (p > MinDelay ? p : MinDelay) : _fallbackDelay;

    /// <summary>The shortest hedge delay: on loopback a percentile can be near zero, and a hedge sent at once only doubles the load.</summary>
    private static TimeSpan MinDelay => TimeSpan.FromMilliseconds(1);

    public void OnCall()
    {
        var now = _timeProvider.GetTimestamp(); // one reading for the idle clock and the budget's bucket
        Volatile.Write(ref _lastUsed, now);
        Budget.OnCall(now);
    }

    public void OnSuccess(TimeSpan latency) => _latencies?.Add(latency);

    /// <summary>Unused for longer than the budget window: its budget is empty, and its latencies are stale.</summary>
    public bool CanEvict() => _timeProvider.GetElapsedTime(Volatile.Read(ref _lastUsed)) > _idleAfter;
}
