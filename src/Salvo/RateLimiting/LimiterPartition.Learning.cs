namespace Salvo.RateLimiting;

internal sealed partial class LimiterPartition
{
    /// <summary>
    /// Ends an admitted request: its permits move from in flight to completed (held for one more window), a probe ends,
    /// the response's report is learned, a 429 may pause, and waiters that now fit are admitted.
    /// </summary>
    /// <remarks>
    /// <paramref name="answered"/> says whether a response arrived (any response teaches, even one without headers);
    /// <paramref name="report"/> is what it said, or <see langword="null"/>.
    /// </remarks>
    /// <returns>The clock reading the completion used, for the caller to reuse.</returns>
    public long Complete(in Admission admission, bool answered, HeaderReport? report)
    {
        List<LimiterEvent>? events = null;
        long now;
        lock (Gate)
        {
            now = _settings.TimeProvider.GetTimestamp();
            Release(Root, admission.Permits, now);
            EndProbe(Root, admission.RootProbe, admission.RootEpoch, answered);
            if (admission.Route is { } route)
            {
                Release(route, admission.Permits, now);
                EndProbe(route, admission.RouteProbe, admission.RouteEpoch, answered);
            }
            if (report is not null)
            {
                if (_settings.Learn)
                    LearnLocked(report, admission, now, ref events);
                if (report.Is429)
                    On429Locked(report, admission, now, ref events);
            }
            Settle(Root, now);
            if (admission.Route is { } counted)
                Settle(counted, now);
            if (_waiters.Count > 0)
                DrainLocked(now);
        }
        if (events is not null)
            LimiterEvent.Write(events, Name, _settings.Logger);
        return now;
    }

    private static void Release(LimitScope scope, int permits, long now)
    {
        scope.InFlight = Math.Max(0, scope.InFlight - permits);
        foreach (var window in scope.Windows)
            window.Complete(permits, now);
    }

    private static void Settle(LimitScope scope, long now)
    {
        foreach (var window in scope.Windows)
            window.Settle(now);
    }

    private static void EndProbe(LimitScope scope, bool wasProbe, int epoch, bool answered)
    {
        // An answer to a request sent before a pause neither ends the new probe nor counts as re-learning.
        if (epoch != scope.Epoch)
            return;
        if (wasProbe)
            scope.ProbeOut = false;
        if (answered)
            scope.Learned = true;
    }

    /// <summary>
    /// Applies every reported window: windows of known length first (matched by length), then those known only by
    /// limit and reset (GitHub's, the older IETF triple's), which join a window of known length with the same limit when
    /// there is one, so one server limit reported by three families is one window here.
    /// </summary>
    private void LearnLocked(HeaderReport report, in Admission admission, long now, ref List<LimiterEvent>? events)
    {
        var sequence = ++_reportSequence;
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < report.Count; i++)
            {
                ref var item = ref report[i];
                if ((item.LengthSeconds > 0) != (pass == 0))
                    continue;
                var scope = ScopeForLocked(item.PerRoute, admission);
                var resetAt = item.ResetSeconds >= 0 ? now + Stamps.FromSeconds(item.ResetSeconds, _settings.Frequency) : LimitWindow.Unknown;
                var window = pass == 0
                    ? SlidingWindowLocked(scope, item, admission.Permits, now, sequence, ref events)
                    : FixedWindowLocked(scope, item, resetAt, admission.Permits, now, sequence, ref events);
                if (window is null)
                    continue;
                window.Refresh(now);
                window.Report(item.Used, resetAt, now);
            }
        }
    }

    private LimitScope ScopeForLocked(bool perRoute, in Admission admission)
    {
        if (!perRoute || _settings.Partitioning == RateLimitPartitioning.Route)
            return Root;
        HasMethodLimits = true;
        if (RouteScopeLocked(admission.RouteTemplate) is not { } scope)
            return Root; // no route template: the per-route limit binds the whole partition, which is safe
        scope.Learned = true;
        return scope;
    }

    private LimitWindow SlidingWindowLocked(LimitScope scope, in HeaderReport.Window item, int reporter, long now, int sequence, ref List<LimiterEvent>? events)
    {
        var length = TimeSpan.FromTicks((long)Math.Round(item.LengthSeconds * TimeSpan.TicksPerSecond));
        var window = scope.FindSliding(Stamps.FromTimeSpan(length, _settings.Frequency));
        if (window is null)
        {
            window = new LimitWindow(item.Source, item.Limit, _settings.Share, length, _settings.Frequency, scope.InFlight) { LimitSequence = sequence };
            window.SeedReporter(reporter, now);
            scope.Add(window);
            (events ??= []).Add(LimiterEvent.Learned(scope.Route, window));
            return window;
        }
        UpdateLimit(scope, window, item.Limit, sequence, ref events);
        return window;
    }

    private LimitWindow? FixedWindowLocked(
        LimitScope scope, in HeaderReport.Window item, long resetAt, int reporter, long now, int sequence, ref List<LimiterEvent>? events)
    {
        if (scope.FindLearnedByLimit(item.Limit) is { } sliding)
            return sliding;
        var window = scope.FindFixed(item.Source);
        if (window is null)
        {
            if (resetAt == LimitWindow.Unknown)
                return null; // a limit with no reset and no length cannot be kept in time
            window = new LimitWindow(item.Source, item.Limit, _settings.Share, TimeSpan.Zero, _settings.Frequency, scope.InFlight) { LimitSequence = sequence };
            window.SeedReporter(reporter, now);
            scope.Add(window);
            (events ??= []).Add(LimiterEvent.Learned(scope.Route, window));
            return window;
        }
        UpdateLimit(scope, window, item.Limit, sequence, ref events);
        return window;
    }

    private void UpdateLimit(LimitScope scope, LimitWindow window, int limit, int sequence, ref List<LimiterEvent>? events)
    {
        // Two reports of one response for the same window (two families, or two policies of one length): keep the smaller.
        var change = window.LimitSequence == sequence ? limit < window.Limit : limit != window.Limit;
        window.LimitSequence = sequence;
        if (change && window.SetLimit(limit, _settings.Share))
            (events ??= []).Add(LimiterEvent.Learned(scope.Route, window));
    }

    /// <summary>
    /// A 429 for a quota pauses the partition (or, for <c>X-Rate-Limit-Type: method</c>, the route) for its
    /// <c>Retry-After</c> plus a margin, then the next request probes again. A 429 for backend load
    /// (<c>X-Rate-Limit-Type: service</c>, or one carrying no <c>Retry-After</c> and no rate-limit header at all) pauses
    /// nothing: the concurrency limiter and the retry layer own that signal.
    /// </summary>
    private void On429Locked(HeaderReport report, in Admission admission, long now, ref List<LimiterEvent>? events)
    {
        var quota = report.LimitType switch
        {
            RateLimitType.Service => false,
            RateLimitType.None => report.RetryAfter is not null || report.HasFamily,
            _ => true,
        };
        if (!quota)
        {
            _settings.Counters.OnServiceThrottled();
            (events ??= []).Add(LimiterEvent.Service(report.LimitType));
            return;
        }
        if (report.RetryAfter is not { } retryAfter)
            return; // the reported counts already fill the windows until their reset
        var scope = Root;
        if (report.LimitType == RateLimitType.Method && RouteScopeLocked(admission.RouteTemplate) is { } route)
        {
            HasMethodLimits = true;
            scope = route;
        }
        var margin = TimeSpan.FromTicks(Math.Max(_settings.PauseMargin.Ticks, retryAfter.Ticks / 20));
        var pause = retryAfter + margin;
        var until = now + Stamps.FromTimeSpan(pause, _settings.Frequency);
        if (until > scope.PausedUntil)
            scope.PausedUntil = until;
        if (_settings.Learn)
        {
            scope.Learned = false;
            scope.ProbeOut = false;
            scope.Epoch++;
        }
        _settings.Counters.OnPaused();
        (events ??= []).Add(LimiterEvent.Paused(scope.Route, pause, report.LimitType));
    }
}
