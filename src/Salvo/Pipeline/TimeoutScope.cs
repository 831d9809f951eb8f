namespace Salvo.Pipeline;

/// <summary>
/// A cancellation token that fires when an outer token does or a budget on a <see cref="TimeProvider"/>
/// expires, and can tell the two apart. Disposing it stops the timer.
/// </summary>
/// <remarks>
/// On the system clock this is one linked source with <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>,
/// the same cost as <see cref="HttpClient.Timeout"/>; on any other clock (tests) the timer comes from the
/// provider, so advancing a fake clock expires budgets without real waiting.
/// </remarks>
internal readonly struct TimeoutScope : IDisposable
{
    private readonly CancellationTokenSource? _linked;
    private readonly CancellationTokenSource? _timer;
    private readonly CancellationToken _outer;

    private TimeoutScope(CancellationTokenSource? linked, CancellationTokenSource? timer, CancellationToken outer)
    {
        _linked = linked;
        _timer = timer;
        _outer = outer;
    }

    /// <summary>The token to pass on: cancelled by the outer token or by the budget.</summary>
    public CancellationToken Token => _linked?.Token ?? _outer;

    /// <summary>Whether the budget expired while the outer token did not fire.</summary>
    public bool TimedOut => _linked is not null && _linked.IsCancellationRequested && !_outer.IsCancellationRequested;

    public static TimeoutScope Start(TimeSpan budget, TimeProvider timeProvider, CancellationToken outer)
    {
        if (budget == Timeout.InfiniteTimeSpan)
            return new TimeoutScope(null, null, outer);
        if (ReferenceEquals(timeProvider, TimeProvider.System))
        {
            var cts = outer.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(outer) : new CancellationTokenSource();
            cts.CancelAfter(budget);
            return new TimeoutScope(cts, null, outer);
        }
        var timer = new CancellationTokenSource(budget, timeProvider);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(outer, timer.Token);
        return new TimeoutScope(linked, timer, outer);
    }

    public void Dispose()
    {
        _linked?.Dispose();
        _timer?.Dispose();
    }
}
