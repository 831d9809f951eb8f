namespace Salvo.Caching;

/// <summary>
/// One upstream call that identical calls share (single flight). It runs on its own token, cancelled only when every
/// caller waiting for it has given up, so one impatient caller cannot fail the others.
/// </summary>
internal sealed class Flight(string key, CancellationToken shutdown)
{
    private readonly TaskCompletionSource<FlightResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
    private int _waiters;
    private HttpResponseMessage? _leaderResponse;
    private int _leaderLeft;

    public string Key => key;

    public CancellationToken Token => _cancel.Token;

    public Task<FlightResult> Result => _result.Task;

    public void Join() => Interlocked.Increment(ref _waiters);

    /// <summary>A caller stopped waiting; the last one out cancels the upstream call.</summary>
    public void Leave(bool leader)
    {
        if (leader)
        {
            Volatile.Write(ref _leaderLeft, 1);
            Interlocked.Exchange(ref _leaderResponse, null)?.Dispose();
        }
        if (Interlocked.Decrement(ref _waiters) != 0 || _result.Task.IsCompleted)
            return;
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Completed in the meantime: nothing left to cancel.
        }
    }

    public void Complete(FlightResult result)
    {
        Interlocked.Exchange(ref _leaderResponse, result.LeaderResponse); // a full fence: a leader leaving now sees it, or is seen
        _result.TrySetResult(result);
        if (Volatile.Read(ref _leaderLeft) != 0)
            Interlocked.Exchange(ref _leaderResponse, null)?.Dispose();
        _cancel.Dispose();
    }

    public void Fail(Exception ex)
    {
        _result.TrySetException(ex);
        _cancel.Dispose();
    }

    /// <summary>The leader takes the upstream response; nobody else may.</summary>
    public HttpResponseMessage? ClaimLeaderResponse() => Interlocked.Exchange(ref _leaderResponse, null);
}

/// <summary>
/// What a flight produced: an entry the other waiters build their own responses from (<see langword="null"/> when the
/// answer was too large to share), and the upstream response itself, which only the leader gets (so it keeps
/// <c>Set-Cookie</c> and everything the cache does not store). <see cref="Kind"/> says how it was obtained, for the counters.
/// </summary>
internal sealed record FlightResult(CacheEntry? Entry, HttpResponseMessage? LeaderResponse, FlightKind Kind)
{
    /// <summary>For <see cref="FlightKind.AlreadyFresh"/>: whether the entry was found in memory (else in the persistent store).</summary>
    public bool FromMemory { get; init; }
}

internal enum FlightKind
{
    Fetched,
    Revalidated,
    Stale,
    AlreadyFresh,
}
