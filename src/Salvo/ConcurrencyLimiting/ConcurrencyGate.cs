namespace Salvo.ConcurrencyLimiting;

/// <summary>
/// One partition's slots: at most <see cref="Limit"/> requests in flight, the rest waiting in a FIFO line. The limit is
/// fixed, or set after every finished request by an <see cref="AdaptiveLimit"/>, which the gate drives under its lock.
/// </summary>
/// <remarks>
/// Everything happens under one uncontended-cheap <see cref="Lock"/>: a lock-free fast path racing a locked queue can strand
/// a waiter (a release that sees no waiter just before one queues). A free slot goes to the head of the line, never to a
/// newcomer (no barging), so waits are served strictly in arrival order. Entering and leaving with room allocate nothing;
/// a queued request allocates its <see cref="Waiter"/>.
/// </remarks>
internal sealed partial class ConcurrencyGate : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly int _maxQueue;
    private int _limit;
    private int _inFlight;
    private int _queued;
    private long _srttTicks;
    private long _idleSince;
    private long _granted;
    private long _rejected;
    private bool _disposed;

    public ConcurrencyGate(PartitionKey key, string? partition, int limit, AdaptiveLimit? adaptive, int? maxQueue, TimeProvider timeProvider)
    {
        Key = key;
        Partition = partition;
        Adaptive = adaptive;
        _limit = adaptive?.Limit ?? limit;
        MinLimit = adaptive?.MinLimit ?? limit;
        MaxLimit = adaptive?.MaxLimit ?? limit;
        _maxQueue = maxQueue ?? int.MaxValue;
        _timeProvider = timeProvider;
        _idleSince = timeProvider.GetTimestamp();
    }

    /// <summary>The host and port this gate limits; <see cref="PartitionKey.Host"/> is <see langword="null"/> for a gate shared by every host.</summary>
    public PartitionKey Key { get; }

    /// <summary>How errors and logs name the partition: the host, with the port when it is not the scheme's default.</summary>
    public string? Partition { get; }

    public AdaptiveLimit? Adaptive { get; }

    public TimeProvider TimeProvider => _timeProvider;

    public int MinLimit { get; }

    public int MaxLimit { get; }

    public int Limit => Volatile.Read(ref _limit);

    public int InFlight => Volatile.Read(ref _inFlight);

    public int Queued => Volatile.Read(ref _queued);

    public long Granted => Volatile.Read(ref _granted);

    public long Rejected => Volatile.Read(ref _rejected);

    /// <summary>The adaptive limit's baseline round trip, if it has one.</summary>
    public TimeSpan? MinRtt
    {
        get
        {
            if (Adaptive is null)
                return null;
            lock (_lock)
                return Adaptive.MinRtt;
        }
    }

    /// <summary>How long the gate has had nothing in flight and nobody waiting, or <see langword="null"/> while busy.</summary>
    public TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
                return _inFlight == 0 && _head is null ? _timeProvider.GetElapsedTime(_idleSince) : null;
        }
    }

    /// <summary>Takes a slot if one is free and nobody waits for it.</summary>
    public bool TryEnter()
    {
        lock (_lock)
        {
            if (_head is not null || _inFlight >= _limit || _disposed)
                return false;
            _inFlight++;
            _granted++;
            return true;
        }
    }

    /// <summary>Takes a free slot, or queues a <paramref name="waiter"/> at the end of the line when the line has room.</summary>
    public GateStatus Enter(out Waiter? waiter)
    {
        waiter = null;
        lock (_lock)
        {
            if (_disposed)
                return GateStatus.Disposed;
            if (_head is null && _inFlight < _limit)
            {
                _inFlight++;
                _granted++;
                return GateStatus.Entered;
            }
            if (_queued >= _maxQueue)
            {
                _rejected++;
                return GateStatus.QueueFull;
            }
            waiter = new Waiter(this);
            Append(waiter);
            return GateStatus.Queued;
        }
    }

    /// <summary>Waits for a queued <paramref name="waiter"/>'s slot; cancelling gives up its place in line.</summary>
    /// <returns><see cref="GateStatus.Entered"/> with a slot held; otherwise no slot is held.</returns>
    public async ValueTask<GateStatus> WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
            waiter.Registration = cancellationToken.UnsafeRegister(static state => ((Waiter)state!).Cancel(), waiter);
        try
        {
            return await waiter.Task.ConfigureAwait(false);
        }
        finally
        {
            // Waits for a cancellation callback that is running; it never blocks (continuations run asynchronously).
            waiter.Registration.Dispose();
        }
    }

    /// <summary>
    /// Gives a slot back and reports how the request went: the adaptive limit learns from it, and freed slots go to the
    /// head of the line.
    /// </summary>
    /// <param name="start">The timestamp taken when the slot was granted.</param>
    /// <param name="outcome">What the request says about the server's load.</param>
    /// <param name="end">When the request ended, on this gate's clock, when the caller has read it; else it is read now.</param>
    /// <returns>The limit before and after this request.</returns>
    public (int Before, int After) Exit(long start, ConcurrencyOutcome outcome, long? end = null)
    {
        var now = end ?? _timeProvider.GetTimestamp();
        var rtt = _timeProvider.GetElapsedTime(start, now);
        Waiter? granted;
        int before, after;
        lock (_lock)
        {
            before = _limit;
            if (outcome == ConcurrencyOutcome.Completed)
                _srttTicks = _srttTicks == 0 ? rtt.Ticks : _srttTicks - (_srttTicks >> 3) + (rtt.Ticks >> 3);
            if (Adaptive is not null && outcome != ConcurrencyOutcome.Ignored)
                Volatile.Write(ref _limit, Adaptive.OnSample(rtt, _inFlight, outcome == ConcurrencyOutcome.Dropped));
            _inFlight--;
            granted = TakeRunnable();
            if (_inFlight == 0 && _head is null)
                _idleSince = now;
            after = _limit;
        }
        Grant(granted);
        return (before, after);
    }

    /// <summary>
    /// A rough time until a newcomer would get a slot: the smoothed round trip times the number of rounds the line
    /// ahead of it needs, or <see langword="null"/> before any round trip has been seen.
    /// </summary>
    public TimeSpan? EstimateWait()
    {
        lock (_lock)
        {
            if (_srttTicks == 0)
                return null;
            var rounds = (_queued / Math.Max(1, _limit)) + 1;
            return TimeSpan.FromTicks(_srttTicks * rounds);
        }
    }

    /// <summary>Fails every waiting request with <see cref="GateStatus.Disposed"/>; slots in flight are still given back.</summary>
    public void Dispose()
    {
        Waiter? waiting;
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            waiting = _head;
            for (var w = _head; w is not null; w = w.Next)
                w.Queued = false;
            _head = _tail = null;
            _queued = 0;
        }
        while (waiting is not null)
        {
            var next = waiting.Next;
            waiting.Next = waiting.Previous = null;
            waiting.Complete(GateStatus.Disposed);
            waiting = next;
        }
    }

    internal void CancelWaiter(Waiter waiter)
    {
        lock (_lock)
        {
            if (!waiter.Queued)
                return; // already granted, or the gate was disposed
            Unlink(waiter);
        }
        waiter.Complete(GateStatus.Cancelled);
    }
}
