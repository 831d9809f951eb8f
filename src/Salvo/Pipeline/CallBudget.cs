namespace Salvo.Pipeline;

/// <summary>
/// The total time budget of one call and the one cancellation source that enforces it. The attempt budget
/// re-arms the same source for the length of an attempt instead of linking a second one, so a call pays for
/// one source and one timer — what <see cref="HttpClient"/> pays for its own <see cref="HttpClient.Timeout"/>.
/// </summary>
/// <remarks>
/// The source's timer always targets the nearer of two deadlines, and <see cref="ExpiredBudget"/> records
/// which one it targets, so an expiry is attributed exactly (no comparison of clocks at the edge). A source
/// that fired for an attempt is spent: a retry layer calls <see cref="Renew"/> to give the next attempt a fresh one,
/// and passes <see cref="Token"/> (read again) down with it.
/// </remarks>
internal sealed class CallBudget : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly CancellationToken _callerToken;
    private readonly long _start;
    private readonly CancellationTokenRegistration _callerRegistration;
    private CancellationTokenSource _source;
    private bool _armedForAttempt;

    private CallBudget(TimeSpan total, TimeProvider timeProvider, CancellationToken callerToken)
    {
        Total = total;
        _timeProvider = timeProvider;
        _callerToken = callerToken;
        _start = timeProvider.GetTimestamp();
        _source = NewSource(total);
        if (callerToken.CanBeCanceled)
            _callerRegistration = callerToken.UnsafeRegister(static state => ((CallBudget)state!).CancelCurrent(), this);
    }

    /// <summary>The whole call's budget, or <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public TimeSpan Total { get; }

    /// <summary>The token to pass on: cancelled by the caller, by the total budget, or by an armed attempt budget.</summary>
    public CancellationToken Token => Volatile.Read(ref _source).Token;

    /// <summary>Time left in the total budget; <see cref="Timeout.InfiniteTimeSpan"/> when there is none.</summary>
    public TimeSpan Remaining => Total == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : RemainingAt(_timeProvider.GetTimestamp());

    /// <summary>The clock the budget runs on.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>When the call started, on <see cref="TimeProvider"/>'s timestamp scale.</summary>
    public long StartTimestamp => _start;

    /// <summary>Time left in the total budget at <paramref name="now"/> (a timestamp of <see cref="TimeProvider"/>), so a caller that has just read the clock does not read it again.</summary>
    public TimeSpan RemainingAt(long now)
    {
        if (Total == Timeout.InfiniteTimeSpan)
            return Timeout.InfiniteTimeSpan;
        var left = Total - _timeProvider.GetElapsedTime(_start, now);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Whether the token fired because a budget expired (not because the caller cancelled).</summary>
    public bool TimedOut => Token.IsCancellationRequested && !_callerToken.IsCancellationRequested;

    /// <summary>The budget the timer was aiming at when it fired.</summary>
    public TimeoutBudget ExpiredBudget => _armedForAttempt ? TimeoutBudget.Attempt : TimeoutBudget.Total;

    /// <summary>Starts a call's budget; the caller's token cancels it too.</summary>
    public static CallBudget Start(TimeSpan total, TimeProvider timeProvider, CancellationToken callerToken) =>
        new(total, timeProvider, callerToken);

    /// <summary>Bounds what follows (an attempt) by <paramref name="attempt"/>, or by the total budget when that ends first.</summary>
    public void ArmAttempt(TimeSpan attempt) => ArmAttempt(attempt, _timeProvider.GetTimestamp());

    /// <inheritdoc cref="ArmAttempt(TimeSpan)"/>
    /// <param name="attempt">The attempt's budget.</param>
    /// <param name="now">A timestamp of <see cref="TimeProvider"/> read just now.</param>
    public void ArmAttempt(TimeSpan attempt, long now)
    {
        var remaining = RemainingAt(now);
        if (remaining == Timeout.InfiniteTimeSpan || attempt < remaining)
        {
            _armedForAttempt = true;
            CancelAfter(attempt);
        }
    }

    /// <summary>Ends an attempt's bound: the timer goes back to the total budget.</summary>
    public void DisarmAttempt()
    {
        if (_armedForAttempt && !Token.IsCancellationRequested)
            DisarmAttempt(_timeProvider.GetTimestamp());
    }

    /// <inheritdoc cref="DisarmAttempt()"/>
    /// <param name="now">A timestamp of <see cref="TimeProvider"/> read just now.</param>
    public void DisarmAttempt(long now)
    {
        if (!_armedForAttempt || Token.IsCancellationRequested)
            return;
        _armedForAttempt = false;
        CancelAfter(RemainingAt(now));
    }

    /// <summary>Replaces a source that fired for an attempt, so another attempt can run in the remaining budget.</summary>
    /// <returns><see langword="false"/> when the caller cancelled or the total budget is spent, so no attempt may follow.</returns>
    public bool Renew()
    {
        if (!Token.IsCancellationRequested)
            return true;
        if (_callerToken.IsCancellationRequested || !_armedForAttempt || Remaining == TimeSpan.Zero)
            return false;
        var spent = Interlocked.Exchange(ref _source, NewSource(Remaining));
        _armedForAttempt = false;
        spent.Dispose();
        if (_callerToken.IsCancellationRequested)
            CancelCurrent();
        return true;
    }

    public void Dispose()
    {
        _callerRegistration.Dispose();
        Volatile.Read(ref _source).Dispose();
    }

    private CancellationTokenSource NewSource(TimeSpan remaining)
    {
        if (ReferenceEquals(_timeProvider, TimeProvider.System))
        {
            var source = new CancellationTokenSource();
            if (remaining != Timeout.InfiniteTimeSpan)
                source.CancelAfter(remaining);
            return source;
        }
        // A source made with a provider keeps using that provider's timer for later CancelAfter calls.
        return new CancellationTokenSource(remaining, _timeProvider);
    }

    private void CancelAfter(TimeSpan delay)
    {
        try
        {
            Volatile.Read(ref _source).CancelAfter(delay);
        }
        catch (ObjectDisposedException)
        {
            // The call already ended.
        }
    }

    private void CancelCurrent()
    {
        try
        {
            Volatile.Read(ref _source).Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call already ended.
        }
    }
}
