namespace Salvo.Cli.Bench;

/// <summary>Follows a stream of feed updates, recording each one's delay once counting has started.</summary>
internal sealed class StreamFollower(IAsyncEnumerable<FeedUpdate> updates)
{
    private readonly Lock _gate = new();
    private readonly List<(long Seq, double DelayMs)> _seen = [];
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _reached;
    private long _after = long.MaxValue;
    private long _target = long.MaxValue;

    /// <summary>Completes when the first update arrives (the stream is open and warm).</summary>
    public Task FirstSeen => _first.Task;

    public async Task RunAsync()
    {
        try
        {
            await foreach (var update in updates)
            {
                var delay = RealtimeComparison.DelayMs(update);
                _first.TrySetResult();
                lock (_gate)
                {
                    if (update.Seq > _after)
                        _seen.Add((update.Seq, delay));
                    if (update.Seq >= _target)
                        _reached?.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    /// <summary>From now on, updates after <paramref name="seq"/> are recorded.</summary>
    public void CountAfter(long seq)
    {
        lock (_gate)
            _after = seq;
    }

    /// <summary>Waits, bounded, until the update <paramref name="seq"/> has arrived.</summary>
    public async Task UntilAsync(long seq, TimeSpan limit, CancellationToken cancellationToken)
    {
        Task reached;
        lock (_gate)
        {
            _target = seq;
            _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_seen.Count > 0 && _seen[^1].Seq >= seq)
                _reached.TrySetResult();
            reached = _reached.Task;
        }
        try
        {
            await reached.WaitAsync(limit, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Reported as fewer updates received than published.
        }
    }

    /// <summary>The delays of the updates after the start, up to <paramref name="seq"/>.</summary>
    public List<double> DelaysUpTo(long seq)
    {
        lock (_gate)
            return [.. _seen.Where(s => s.Seq <= seq).Select(s => s.DelayMs)];
    }
}
