using Salvo.Pipeline;
namespace Salvo.RateLimiting;

/// <summary>
/// One partition's windows (its own, and per route for per-method limits), pause, probe and queue of waiting requests,
/// all under one short lock, so a request is checked against every window and counted in all of them at once.
/// </summary>
internal sealed partial class LimiterPartition
{
    private readonly LimiterSettings _settings;
    private Dictionary<string, LimitScope>? _routes;
    private int _reportSequence;

    public LimiterPartition(string name, LimiterSettings settings)
    {
        Name = name;
        _settings = settings;
        Root = new LimitScope(null, settings.CreateConfiguredWindows()) { Learned = !settings.Learn };
    }

    public Lock Gate { get; } = new();

    /// <summary>The partition's name in errors, logs and snapshots.</summary>
    public string Name { get; }

    public LimitScope Root { get; }

    /// <summary>Whether the server has taught per-route limits, so requests are also counted per route.</summary>
    public bool HasMethodLimits { get; private set; }

    /// <summary>Whether the partition was forgotten (idle, or its limiter disposed); guarded by <see cref="Gate"/>.</summary>
    public bool Retired { get; private set; }

    /// <summary>Decides one request: admits it, queues it, or holds it back.</summary>
    /// <remarks>
    /// <paramref name="maxWait"/> is the longest wait allowed (the call's remaining budget), or
    /// <see cref="Timeout.InfiniteTimeSpan"/>, replaced by what is left of <paramref name="budget"/> when there is one (read on
    /// the same clock reading the decision uses); <paramref name="mayQueue"/> whether the request may wait at all
    /// (<see langword="false"/> for a non-blocking attempt). <paramref name="now"/> is that clock reading, for the caller to reuse.
    /// </remarks>
    public AcquireStatus Acquire(
        int permits, string? routeTemplate, RateLimitMode mode, TimeSpan maxWait, CallBudget? budget, bool mayQueue,
        out Admission admission, out Waiter? waiter, out Hold hold, out TimeSpan wait, out long now)
    {
        waiter = null;
        admission = default;
        lock (Gate)
        {
            if (Retired)
            {
                hold = default;
                wait = default;
                now = 0;
                return AcquireStatus.Retired;
            }
            now = _settings.TimeProvider.GetTimestamp();
            if (budget is not null)
                maxWait = ReferenceEquals(budget.TimeProvider, _settings.TimeProvider) ? budget.RemainingAt(now) : budget.Remaining;
            if (_waiters.Count > 0)
                DrainLocked(now);
            if (_waiters.Count == 0 || !_queueBlocked)
            {
                if (TryAdmitLocked(now, permits, routeTemplate, commit: true, out admission, out hold))
                {
                    wait = TimeSpan.Zero;
                    return AcquireStatus.Admitted;
                }
            }
            else
            {
                // Behind the queue: the estimate counts everyone ahead.
                EstimateLocked(now, permits, routeTemplate, out hold);
            }
            wait = Stamps.ToTimeSpan(hold.RoomAt - now, _settings.Frequency);
            // Waiting for a probe's answer is learning, not a limit: even Throw mode waits for it (within the budget).
            var probeOnly = hold.ForProbe && hold.RoomAt <= now;
            if (!mayQueue
                || hold.RoomAt >= Stamps.Never
                || (mode == RateLimitMode.Throw && !probeOnly)
                || (maxWait != Timeout.InfiniteTimeSpan && wait > maxWait))
            {
                return AcquireStatus.Rejected;
            }
            waiter = EnqueueLocked(permits, routeTemplate, hold, now);
            return AcquireStatus.Queued;
        }
    }

    /// <summary>When room is expected for one more request at the end of the queue.</summary>
    public Hold Estimate(int permits, string? routeTemplate, out TimeSpan wait)
    {
        lock (Gate)
        {
            var now = _settings.TimeProvider.GetTimestamp();
            EstimateLocked(now, permits, routeTemplate, out var hold);
            wait = Stamps.ToTimeSpan(hold.RoomAt - now, _settings.Frequency);
            return hold;
        }
    }

    /// <summary>How many permits the partition's own windows admit now (0 while paused or probing); <see cref="int.MaxValue"/> without windows.</summary>
    public int AvailablePermits()
    {
        lock (Gate)
        {
            var now = _settings.TimeProvider.GetTimestamp();
            if (Root.PausedUntil > now || (_settings.Learn && !Root.Learned && Root.ProbeOut))
                return 0;
            var available = int.MaxValue;
            foreach (var w in Root.Windows)
            {
                w.Refresh(now);
                available = Math.Min(available, Math.Max(0, Math.Min(w.OwnLimit - w.Own, w.Limit - w.Own - w.Others)));
            }
            return available;
        }
    }

    private void EstimateLocked(long now, int permits, string? routeTemplate, out Hold hold)
    {
        if (!TryAdmitLocked(now, permits, routeTemplate, commit: false, out _, out hold, _queuedPermits))
            return;
        hold = new Hold(now, ThrottleReason.RateLimit, ForProbe: false, RouteOnly: false);
    }

    /// <summary>
    /// Checks the pause, the probe rule and every window; with <paramref name="commit"/>, counts the request in all of them.
    /// <paramref name="ahead"/> is the permits queued ahead, for an estimate (only with <paramref name="commit"/> off).
    /// </summary>
    private bool TryAdmitLocked(long now, int permits, string? routeTemplate, bool commit, out Admission admission, out Hold hold, int ahead = 0)
    {
        var learn = _settings.Learn;
        var route = HasMethodLimits ? RouteScopeLocked(routeTemplate) : null;
        var verdict = new Verdict(now);
        verdict.Check(Root, permits, ahead, learn, now, routeLevel: false);
        if (route is not null)
            verdict.Check(route, permits, ahead, learn, now, routeLevel: true);
        admission = default;
        if (verdict.Blocked)
        {
            hold = verdict.ToHold();
            return false;
        }
        hold = default;
        if (!commit)
            return true;
        var rootProbe = learn && !Root.Learned;
        var routeProbe = route is not null && learn && !route.Learned;
        Take(Root, permits, rootProbe);
        if (route is not null)
            Take(route, permits, routeProbe);
        admission = new Admission(this, route, routeTemplate, permits, Root.Epoch, route?.Epoch ?? 0, rootProbe, routeProbe);
        return true;
    }

    private static void Take(LimitScope scope, int permits, bool probe)
    {
        scope.InFlight += permits;
        foreach (var window in scope.Windows)
            window.Admit(permits);
        if (probe)
            scope.ProbeOut = true;
    }

    /// <summary>The scope of a route template; <see langword="null"/> when routes do not apply or too many exist.</summary>
    private LimitScope? RouteScopeLocked(string? routeTemplate)
    {
        if (routeTemplate is null || _settings.Partitioning == RateLimitPartitioning.Route)
            return null;
        _routes ??= new Dictionary<string, LimitScope>(StringComparer.Ordinal);
        if (_routes.TryGetValue(routeTemplate, out var scope))
            return scope;
        if (_routes.Count >= _settings.MaxPartitions)
            return null; // a matcher that returns raw paths must not grow memory without bound; the partition's windows still apply
        scope = new LimitScope(routeTemplate, []) { Learned = !_settings.Learn };
        _routes.Add(routeTemplate, scope);
        return scope;
    }

    /// <summary>What blocks a request, gathered over its scopes.</summary>
    private struct Verdict(long now)
    {
        private long _roomAt = now;
        private long _pausedUntil = LimitWindow.Unknown;
        private bool _forProbe;
        private bool _routeOnly = true;

        public bool Blocked { get; private set; }

        public void Check(LimitScope scope, int permits, int ahead, bool learn, long now, bool routeLevel)
        {
            if (scope.PausedUntil > now)
            {
                Block(routeLevel);
                _pausedUntil = Math.Max(_pausedUntil, scope.PausedUntil);
                _roomAt = Math.Max(_roomAt, scope.PausedUntil);
            }
            if (learn && !scope.Learned && scope.ProbeOut)
            {
                Block(routeLevel);
                _forProbe = true;
            }
            foreach (var window in scope.Windows)
            {
                window.Refresh(now);
                if (!window.HasRoom(permits + ahead))
                {
                    Block(routeLevel);
                    _roomAt = Math.Max(_roomAt, window.RoomAt(now, permits, ahead));
                }
            }
        }

        public readonly Hold ToHold() => new(
            _roomAt,
            _pausedUntil != LimitWindow.Unknown && _pausedUntil >= _roomAt ? ThrottleReason.ServerPause : ThrottleReason.RateLimit,
            _forProbe,
            _routeOnly);

        private void Block(bool routeLevel)
        {
            Blocked = true;
            if (!routeLevel)
                _routeOnly = false;
        }
    }
}
