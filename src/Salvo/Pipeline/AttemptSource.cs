namespace Salvo.Pipeline;

/// <summary>
/// The cancellation source of one of several attempts running at once (a hedge and its original): cancelled when the
/// call's token fires, when the attempt loses its race (<see cref="Discard"/>), or when the attempt budget armed on it
/// below expires (<see cref="Arm"/>) — one source and one timer per attempt, where a linked source per attempt plus an
/// attempt-budget scope linked to it cost two.
/// </summary>
/// <remarks>
/// The attempt-budget stage finds it on the request (<see cref="Of"/>) when the token it was given is this source's, and
/// arms it instead of linking a scope of its own; <see cref="TimedOut"/> then tells its expiry apart from a lost race and
/// from the call's own cancellation. On a clock other than the system's, the timer is that clock's.
/// </remarks>
internal sealed class AttemptSource : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _outer;
    private readonly CancellationTokenRegistration _registration;
    private volatile bool _discarded;
    private volatile bool _armed;

    /// <param name="outer">The call's token: cancelling it cancels the attempt.</param>
    /// <param name="timeProvider">The clock the attempt budget runs on.</param>
    public AttemptSource(CancellationToken outer, TimeProvider timeProvider)
    {
        _outer = outer;
        _source = ReferenceEquals(timeProvider, TimeProvider.System)
            ? new CancellationTokenSource()
            : new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        // Read once: a stale source found on a request later is compared by token, and a disposed source's Token throws.
        Token = _source.Token;
        if (outer.CanBeCanceled)
            _registration = outer.UnsafeRegister(static state => ((AttemptSource)state!).CancelQuietly(), this);
    }

    /// <summary>The attempt's token.</summary>
    public CancellationToken Token { get; }

    /// <summary>Whether the attempt budget armed on this source expired (not a lost race, not the call's cancellation).</summary>
    public bool TimedOut => _armed && Token.IsCancellationRequested && !_discarded && !_outer.IsCancellationRequested;

    /// <summary>The source of the attempt <paramref name="request"/> is running as, when it is one of several running at once.</summary>
    public static AttemptSource? Of(HttpRequestMessage request) => (request as SalvoRequestMessage)?.Attempt;

    /// <summary>
    /// Sets this as the source of the attempt <paramref name="request"/> runs as. Only requests Salvo built carry one; for
    /// any other the attempt budget below links a scope of its own.
    /// </summary>
    public void AttachTo(HttpRequestMessage request)
    {
        if (request is SalvoRequestMessage salvo)
            salvo.Attempt = this;
    }

    /// <summary>Bounds the attempt by <paramref name="timeout"/>.</summary>
    public void Arm(TimeSpan timeout)
    {
        _armed = true;
        try
        {
            _source.CancelAfter(timeout);
        }
        catch (ObjectDisposedException)
        {
            // The attempt already ended.
        }
    }

    /// <summary>The attempt lost its race: cancelled, and not counted as a timeout.</summary>
    public void Discard()
    {
        _discarded = true;
        CancelQuietly();
    }

    public void Dispose()
    {
        _registration.Dispose();
        _source.Dispose();
    }

    private void CancelQuietly()
    {
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attempt already ended.
        }
    }
}
