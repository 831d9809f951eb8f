namespace Salvo.Sandbox.RateLimiting;

/// <summary>
/// One caller's fixed window. Like Riot's limits, a window opens at the first request admitted after the
/// previous one ended (not at a wall-clock boundary). Not thread-safe: <see cref="RateLimitPartition"/> locks.
/// </summary>
internal sealed class WindowCounter(SandboxRateLimit limit)
{
    private DateTimeOffset _start = DateTimeOffset.MinValue;
    private int _count;

    public SandboxRateLimit Limit { get; } = limit;

    public bool IsOpen(DateTimeOffset now) => _count > 0 && now < _start + Limit.Window;

    public int CountAt(DateTimeOffset now) => IsOpen(now) ? _count : 0;

    /// <summary>When the window ends; a window not yet open would end one length after <paramref name="now"/>.</summary>
    public DateTimeOffset ResetAt(DateTimeOffset now) => (IsOpen(now) ? _start : now) + Limit.Window;

    public void Add(DateTimeOffset now)
    {
        if (!IsOpen(now))
        {
            _start = now;
            _count = 0;
        }
        _count++;
    }

    public WindowSnapshot Snapshot(DateTimeOffset now) => new(Limit, CountAt(now), ResetAt(now));
}
