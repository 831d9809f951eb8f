namespace Salvo.Pipeline;

/// <summary>
/// The cancellation source of one of several attempts running at once (a hedge and its original): cancelled when the
/// call's token fires, when the attempt loses its race (<see cref="Discard"/>), or when the attempt budget armed on it
/// below expires (<see cref="Arm"/>) — one source and one timer per attempt, where a linked source per attempt plus an
/// attempt-budget scope linked to it cost two.
/// </summary>
/// <remarks>
/// <para>The attempt-budget stage finds it on the request (<see cref="Of"/>) when the token it was given is this source's, and
/// arms it instead of linking a scope of its own; <see cref="TimedOut"/> then tells its expiry apart from a lost race and
/// from the call's own cancellation. On a clock other than the system's, the timer is that clock's.</para>
/// <para>Reusable: an attempt that ended without being cancelled leaves a source that <see cref="TryReset"/> readies for
/// the next one (hedging keeps a few per handler), so the source, its timer and its registrations list are paid for once.
/// Its link to the call's token is made by <see cref="Link"/> once the attempt is known to be pending: one that answers
/// at once never registers. A source whose timer runs on another clock cannot be reset (.NET resets only its own timers).</para>
/// </remarks>
internal sealed class AttemptSource : IDisposable
{
    private readonly CancellationTokenSource _source;
    private CancellationToken _outer;
    private CancellationTokenRegistration _registration;
    private volatile bool _discarded;
    private volatile bool _armed;

    /// <param name="timeProvider">The clock the attempt budget runs on.</param>
    public AttemptSource(TimeProvider timeProvider)
    {
        _source = ReferenceEquals(timeProvider, TimeProvider.System)
            ? new CancellationTokenSource()
            : new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        // Read once: a stale source found on a request later is compared by token, and a disposed source's Token throws.
        Token = _source.Token;
    }

    /// <summary>The attempt's token.</summary>
    public CancellationToken Token { get; }

    /// <summary>Whether the attempt budget armed on this source expired (not a lost race, not the call's cancellation).</summary>
    public bool TimedOut => _armed && Token.IsCancellationRequested && !_discarded && !_outer.IsCancellationRequested;

    /// <summary>The source of the attempt <paramref name="request"/> is running as, when it is one of several running at once.</summary>
    public static AttemptSource? Of(HttpRequestMessage request) => (request as SalvoRequestMessage)?.Attempt;

    /// <summary>Starts an attempt on this source within the call's token <paramref name="outer"/> (cancelled at once if that already fired).</summary>
    public void Begin(CancellationToken outer)
    {
        _outer = outer;
        if (outer.IsCancellationRequested)
            CancelQuietly();
    }

    /// <summary>
    /// Lets the call's token cancel the attempt from now on. Called once the attempt is pending: if the token fired in
    /// between, the registration runs at once, so no cancellation is lost.
    /// </summary>
    public void Link()
    {
        if (_outer.CanBeCanceled)
            _registration = _outer.UnsafeRegister(static state => ((AttemptSource)state!).CancelQuietly(), this);
    }

    /// <summary>
    /// Sets this as the source of the attempt <paramref name="request"/> runs as. Only requests Salvo built carry one; for
    /// any other the attempt budget below links a scope of its own.
    /// </summary>
    public void AttachTo(HttpRequestMessage request)
    {
        if (request is SalvoRequestMessage salvo)
            salvo.Attempt = this;
    }

    /// <summary>Takes this source off <paramref name="request"/> again, once its attempt has ended.</summary>
    public void DetachFrom(HttpRequestMessage request)
    {
        if (request is SalvoRequestMessage salvo && ReferenceEquals(salvo.Attempt, this))
            salvo.Attempt = null;
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

    /// <summary>
    /// Readies the source for another attempt once this one has ended: unlinked, its timer stopped. <see langword="false"/>
    /// when it cannot be reused (it was cancelled, or its timer is another clock's); dispose it then.
    /// </summary>
    public bool TryReset()
    {
        _registration.Dispose();
        _registration = default;
        if (!_source.TryReset())
            return false;
        _outer = default;
        _armed = false;
        _discarded = false;
        return true;
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
