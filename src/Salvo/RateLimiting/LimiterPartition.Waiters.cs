namespace Salvo.RateLimiting;

internal sealed partial class LimiterPartition
{
    private readonly LinkedList<Waiter> _waiters = new();
    private int _queuedPermits;
    private bool _queueBlocked;
    private ITimer? _timer;
    private long _timerDue = LimitWindow.Unknown;

    /// <summary>Permits of requests waiting; guarded by <see cref="Gate"/>.</summary>
    public int QueuedPermits => _queuedPermits;

    /// <summary>Removes a waiter whose token fired, unless it was admitted first.</summary>
    public void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            if (waiter.Done)
                return;
            RemoveLocked(waiter);
            DrainLocked(_settings.TimeProvider.GetTimestamp());
        }
        waiter.TrySetCanceled(cancellationToken);
    }

    /// <summary>Forgets the partition if it holds nothing at all.</summary>
    public bool TryRetireIfIdle(long now)
    {
        lock (Gate)
        {
            if (Retired || _waiters.Count > 0 || !Root.IsIdle(now))
                return false;
            if (_routes is not null)
            {
                foreach (var route in _routes.Values)
                {
                    if (!route.IsIdle(now))
                        return false;
                }
            }
            RetireLocked();
            return true;
        }
    }

    /// <summary>Ends the partition with its limiter: every waiter fails with <paramref name="error"/>.</summary>
    public void Fail(Exception error)
    {
        lock (Gate)
        {
            RetireLocked();
            while (_waiters.First is { } node)
            {
                RemoveLocked(node.Value);
                node.Value.TrySetException(error);
            }
        }
    }

    private Waiter EnqueueLocked(int permits, string? routeTemplate, Hold hold, long now)
    {
        var waiter = new Waiter(this, permits, routeTemplate);
        waiter.Node = _waiters.AddLast(waiter);
        _queuedPermits += permits;
        _queueBlocked |= !hold.RouteOnly;
        _settings.Counters.OnWaited();
        ScheduleLocked(hold.RoomAt, now);
        return waiter;
    }

    /// <summary>
    /// Admits waiters in order while they fit. A waiter held back only by its own route (a per-method limit) is passed
    /// over, so one busy method does not stall the others; one held back by the partition stops the walk (first come,
    /// first served). Results complete under the lock, but their continuations run on the thread pool.
    /// </summary>
    private void DrainLocked(long now)
    {
        _queueBlocked = false;
        var wake = long.MaxValue;
        for (var node = _waiters.First; node is not null;)
        {
            var next = node.Next;
            var waiter = node.Value;
            if (TryAdmitLocked(now, waiter.Permits, waiter.RouteTemplate, commit: true, out var admission, out var hold))
            {
                RemoveLocked(waiter);
                _settings.Counters.OnAdmitted();
                waiter.TrySetResult(admission);
            }
            else
            {
                if (hold.RoomAt > now)
                    wake = Math.Min(wake, hold.RoomAt);
                if (!hold.RouteOnly)
                {
                    _queueBlocked = true;
                    break;
                }
            }
            node = next;
        }
        if (wake != long.MaxValue)
            ScheduleLocked(wake, now);
    }

    private void RemoveLocked(Waiter waiter)
    {
        waiter.Done = true;
        if (waiter.Node is { List: not null } node)
            _waiters.Remove(node);
        _queuedPermits -= waiter.Permits;
    }

    /// <summary>
    /// One timer per partition wakes the queue when room is due (a pause ends, a slot expires); completions wake it
    /// too. A waiter never has a timer of its own.
    /// </summary>
    private void ScheduleLocked(long at, long now)
    {
        if (at <= now || Retired || (_timerDue > now && _timerDue <= at))
            return;
        _timerDue = at;
        _timer ??= CreateTimer();
        _timer.Change(Stamps.ToTimeSpan(at - now, _settings.Frequency), Timeout.InfiniteTimeSpan);
    }

    private ITimer CreateTimer()
    {
        // The timer must not capture the first waiter's execution context (its Activity, its AsyncLocals).
        if (ExecutionContext.IsFlowSuppressed())
            return NewTimer();
        using (ExecutionContext.SuppressFlow())
            return NewTimer();

        ITimer NewTimer() => _settings.TimeProvider.CreateTimer(
            static state => ((LimiterPartition)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (Gate)
        {
            _timerDue = LimitWindow.Unknown;
            if (!Retired)
                DrainLocked(_settings.TimeProvider.GetTimestamp());
        }
    }

    private void RetireLocked()
    {
        Retired = true;
        _timer?.Dispose();
        _timer = null;
    }
}
