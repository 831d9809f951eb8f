namespace Salvo.Testing;

/// <summary>
/// A deterministic clock for tests: time moves only when <see cref="Advance"/> is called, and
/// timers (Task.Delay, CancellationTokenSource timeouts, PeriodicTimer) fire in due order as it moves.
/// </summary>
/// <remarks>
/// Microsoft.Extensions.TimeProvider.Testing is not available here, so this is a small equivalent.
/// The timestamp frequency is deliberately odd (not 1 tick = 100 ns, not Stopwatch's) so code that
/// mixes timestamps and TimeSpan ticks without <see cref="TimeProvider.GetElapsedTime(long, long)"/> fails.
/// </remarks>
public sealed class FakeTimeProvider : TimeProvider
{
    private const long Frequency = 3_000_017; // odd on purpose
    private readonly object _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now;
    private long _elapsedTicks; // TimeSpan ticks since creation

    /// <summary>Starts the clock at 2026-01-01T00:00:00Z, or at <paramref name="start"/>.</summary>
    public FakeTimeProvider(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    /// <inheritdoc />
    public override long TimestampFrequency => Frequency;

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        lock (_gate) return (long)((decimal)_elapsedTicks * Frequency / TimeSpan.TicksPerSecond);
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Number of timers that are scheduled and not yet fired or disposed.</summary>
    public int ActiveTimers
    {
        get { lock (_gate) return _timers.Count(t => t.DueAt is not null); }
    }

    /// <summary>Moves time forward, firing every timer that falls due, in order.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        long target;
        lock (_gate) target = _elapsedTicks + delta.Ticks;
        while (true)
        {
            FakeTimer? next = null;
            lock (_gate)
            {
                foreach (var t in _timers)
                {
                    if (t.DueAt is { } due && due <= target && (next is null || due < next.DueAt))
                        next = t;
                }
                if (next is null)
                {
                    _now += TimeSpan.FromTicks(target - _elapsedTicks);
                    _elapsedTicks = target;
                    return;
                }
                var step = next.DueAt!.Value - _elapsedTicks;
                if (step > 0)
                {
                    _now += TimeSpan.FromTicks(step);
                    _elapsedTicks = next.DueAt.Value;
                }
                next.DueAt = next.Period is { } p && p > 0 ? _elapsedTicks + p : null;
            }
            next.Fire();
        }
    }

    /// <summary>Advances the clock by <paramref name="milliseconds"/>.</summary>
    public void AdvanceMilliseconds(double milliseconds) => Advance(TimeSpan.FromMilliseconds(milliseconds));

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_gate) _timers.Add(timer);
        return timer;
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? DueAt; // guarded by owner._gate
        public long? Period;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._elapsedTicks + Math.Max(0, dueTime.Ticks);
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period.Ticks;
            }
            return true;
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                DueAt = null;
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
