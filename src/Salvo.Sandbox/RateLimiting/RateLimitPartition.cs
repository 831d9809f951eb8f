namespace Salvo.Sandbox.RateLimiting;

/// <summary>All windows of one caller key, acquired together under one lock.</summary>
internal sealed class RateLimitPartition(IReadOnlyList<SandboxRateLimit> limits)
{
    private readonly Lock _gate = new();
    private readonly WindowCounter[] _windows = [.. limits.Select(l => new WindowCounter(l))];

    /// <summary>Admits the request only if every window has room, and then counts it in every window.</summary>
    public RateLimitDecision TryAcquire(DateTimeOffset now)
    {
        lock (_gate)
        {
            var retryAfter = TimeSpan.Zero;
            foreach (var window in _windows)
            {
                if (window.CountAt(now) >= window.Limit.Limit)
                {
                    var wait = window.ResetAt(now) - now;
                    if (wait > retryAfter)
                        retryAfter = wait;
                }
            }
            var admitted = retryAfter == TimeSpan.Zero;
            if (admitted)
            {
                foreach (var window in _windows)
                    window.Add(now);
            }
            return new RateLimitDecision(admitted, retryAfter, [.. _windows.Select(w => w.Snapshot(now))]);
        }
    }

    public bool IsIdle(DateTimeOffset now)
    {
        lock (_gate)
            return _windows.All(w => !w.IsOpen(now));
    }
}
