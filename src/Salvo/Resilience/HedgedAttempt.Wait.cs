using System.Threading.Tasks.Sources;

namespace Salvo.Resilience;

internal sealed partial class HedgedAttempt : IValueTaskSource<bool>
{
    /// <summary>How far short of the delay a fired timer may be and still count: far below any clock's tick, far above timestamp rounding.</summary>
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(0.1);

    /// <summary>The shortest timer: one shorter than a millisecond fires at once, and a whole one keeps a re-wait from spinning.</summary>
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(1);

    private readonly Lock _gate = new();
    private readonly Action _onAnswered;
    private ManualResetValueTaskSourceCore<bool> _signal;
    private ITimer? _timer;
    private bool _pending;
    private bool _watching;
    private long _from;
    private TimeSpan _wait;

    /// <summary>
    /// Whether the attempt ends before <paramref name="wait"/> has passed since <paramref name="from"/> (the attempt's start,
    /// or the budget's last refusal); the timer is stopped either way. Only one wait at a time.
    /// </summary>
    /// <remarks>
    /// <para>The wait is checked against the precise clock, and waited again when the timer fired early: .NET's timers run
    /// on a coarse millisecond clock (on Linux, one kernel tick — up to 4 ms), so a 20 ms wait can end after 16. With a
    /// percentile delay that matters: measured at about three times the intended hedge rate, which spent the whole budget
    /// on calls that were about to answer (see docs/circuit-breaker-and-hedging.md).</para>
    /// <para>Allocation-free: the attempt is its own awaitable (a reusable value-task source), its timer is its own and
    /// reused, and the answer is watched with one continuation on the attempt's task. A callback left over from an earlier
    /// wait (or an earlier call, the attempt being pooled) decides only from the current wait's state, so it can wake the
    /// wait only when the wait is over anyway.</para>
    /// </remarks>
    public ValueTask<bool> AnswersWithinAsync(long from, TimeSpan wait)
    {
        if (Task.IsCompleted)
            return new ValueTask<bool>(true);
        var left = wait - _timeProvider.GetElapsedTime(from);
        if (left < TimerSlack)
            return new ValueTask<bool>(false);
        short version;
        lock (_gate)
        {
            // Checked again under the lock: an answer that came in since, before the wait was set, would otherwise be missed.
            if (Task.IsCompleted)
                return new ValueTask<bool>(true);
            _signal.Reset();
            version = _signal.Version;
            (_from, _wait, _pending) = (from, wait, true);
            ArmTimer(left);
        }
        if (!_watching)
        {
            _watching = true;
            Task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onAnswered);
        }
        return new ValueTask<bool>(this, version);
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _signal.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _signal.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _signal.OnCompleted(continuation, state, token, flags);

    private void OnAnswered()
    {
        lock (_gate)
        {
            // Left over from an earlier call of this pooled attempt when its current task has not ended.
            if (!_pending || !Task.IsCompleted)
                return;
            _pending = false;
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        _signal.SetResult(true);
    }

    private void OnTimer()
    {
        bool answered;
        lock (_gate)
        {
            if (!_pending)
                return;
            answered = Task.IsCompleted;
            if (!answered)
            {
                var left = _wait - _timeProvider.GetElapsedTime(_from);
                if (left >= TimerSlack)
                {
                    ArmTimer(left); // fired early
                    return;
                }
            }
            _pending = false;
        }
        _signal.SetResult(answered);
    }

    private void ArmTimer(TimeSpan left)
    {
        if (_timer is null)
        {
            // The timer outlives this call (pooled): it must not hold on to the call's execution context.
            var suppressed = ExecutionContext.IsFlowSuppressed();
            var flow = suppressed ? default : ExecutionContext.SuppressFlow();
            try
            {
                _timer = _timeProvider.CreateTimer(static state => ((HedgedAttempt)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
            finally
            {
                if (!suppressed)
                    flow.Undo();
            }
        }
        _timer.Change(left > MinimumWait ? left : MinimumWait, Timeout.InfiniteTimeSpan);
    }

    private void StopTimer()
    {
        lock (_gate)
        {
            _pending = false;
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }
}
