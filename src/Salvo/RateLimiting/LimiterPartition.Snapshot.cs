namespace Salvo.RateLimiting;

internal sealed partial class LimiterPartition
{
    public RateLimitPartitionSnapshot Snapshot()
    {
        lock (Gate)
        {
            var now = _settings.TimeProvider.GetTimestamp();
            var windows = new List<RateLimitWindowSnapshot>();
            AddWindows(windows, Root, now);
            if (_routes is not null)
            {
                foreach (var route in _routes.Values)
                    AddWindows(windows, route, now);
            }
            DateTimeOffset? paused = Root.PausedUntil > now
                ? _settings.TimeProvider.GetUtcNow() + Stamps.ToTimeSpan(Root.PausedUntil - now, _settings.Frequency)
                : null;
            return new RateLimitPartitionSnapshot
            {
                Partition = Name,
                Windows = windows,
                PausedUntil = paused,
                LimitsKnown = Root.Learned,
                InFlight = Root.InFlight,
                Waiting = _queuedPermits,
            };
        }
    }

    private void AddWindows(List<RateLimitWindowSnapshot> into, LimitScope scope, long now)
    {
        foreach (var w in scope.Windows)
        {
            w.Refresh(now);
            var released = w.ReleasedAt();
            into.Add(new RateLimitWindowSnapshot
            {
                Source = w.Source,
                Route = scope.Route,
                Limit = w.Limit,
                OwnLimit = w.OwnLimit,
                Window = w.IsFixed ? null : w.Length,
                Remaining = Math.Max(0, Math.Min(w.OwnLimit - w.Own, w.Limit - w.Own - w.Others)),
                Held = w.Own,
                HeldByOthers = w.Others,
                ResetAfter = released == LimitWindow.Unknown || released <= now ? null : Stamps.ToTimeSpan(released - now, _settings.Frequency),
            });
        }
    }
}
