namespace Salvo.Resilience;

public sealed partial class HedgingHandler
{
    /// <summary>How far short of the delay a fired timer may be and still count: far below any clock's tick, far above timestamp rounding.</summary>
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(0.1);

    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(1);

    private async Task<HttpResponseMessage> HedgeAsync(HostHedging host, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        host.OnCall();
        var delay = host.Delay;
        // Copy now, before anything below can write to the original (auth sets a header, a redirect the URL).
        var spare = RequestClone.Of(request);
        // The copy shares the body. The first read of its Content-Length stores the computed value (a header
        // write), so read it now: two transports reading it at once would otherwise write at once.
        _ = request.Content?.Headers.ContentLength;
        var primary = HedgedAttempt.Run(_sendOnce, request, _timeProvider, cancellationToken);
        // Refused by the budget, a call keeps asking — every quarter delay — for as long as its first attempt runs, and
        // while any refused call waits, calls asking for the first time are refused: room goes to the calls that have
        // stayed slow the longest, not to the ones a hair past the delay and about to answer.
        var from = primary.Start;
        var wait = delay;
        var waiting = false;
        try
        {
            while (!await CompletesWithinAsync(primary.Task, from, wait).ConfigureAwait(false) && !cancellationToken.IsCancellationRequested)
            {
                if (host.Budget.TryTake(waited: waiting))
                {
                    if (waiting)
                    {
                        waiting = false;
                        host.Budget.EndWait();
                    }
                    return await RaceAsync(host, primary, spare, _timeProvider.GetElapsedTime(primary.Start), cancellationToken).ConfigureAwait(false);
                }
                Counters.OnDenied();
                if (!waiting)
                {
                    waiting = true;
                    host.Budget.BeginWait();
                    // In whole milliseconds, as .NET's timers count: a fractional wait would fire a hair early and be waited again.
                    wait = TimeSpan.FromMilliseconds(Math.Max(MinimumWait.TotalMilliseconds, Math.Ceiling(delay.TotalMilliseconds / 4)));
                }
                from = _timeProvider.GetTimestamp();
            }
        }
        finally
        {
            if (waiting)
                host.Budget.EndWait();
        }
        return await FinishAsync(host, primary).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> RaceAsync(HostHedging host, HedgedAttempt primary, HttpRequestMessage spare, TimeSpan waited, CancellationToken cancellationToken)
    {
        Counters.OnHedged();
        LogLaunched(primary.Request, waited);
        var hedge = HedgedAttempt.Run(_sendOnce, spare, _timeProvider, cancellationToken);
        var first = await Task.WhenAny(primary.Task, hedge.Task).ConfigureAwait(false) == primary.Task ? primary : hedge;
        var second = first == primary ? hedge : primary;
        var winner = first;
        // A failure does not win while the other attempt may still answer; when both fail, the original's outcome stands.
        if (!first.Succeeded)
        {
            await ((Task)second.Task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            winner = second.Succeeded ? second : primary;
        }
        var loser = winner == primary ? hedge : primary;
        loser.Discard();
        if (winner == hedge)
        {
            Counters.OnHedgeWon();
            if (hedge.Task.IsCompletedSuccessfully)
                hedge.Task.Result.RequestMessage = primary.Request; // callers and errors see the request they sent
        }
        return await FinishAsync(host, winner).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until the attempt ends or <paramref name="delay"/> has passed since <paramref name="start"/> (the attempt's
    /// start, or the budget's last refusal), whichever is first; the timer is stopped either way.
    /// </summary>
    /// <remarks>
    /// The delay is checked against the attempt's start on the precise clock, and waited again when a timer fired
    /// early: .NET's timers run on a coarse millisecond clock (on Linux, one kernel tick — up to 4 ms), so a 20 ms
    /// wait can end after 16. With a percentile delay that matters: measured at about three times the intended hedge
    /// rate, which spent the whole budget on calls that were about to answer (see docs/circuit-breaker-and-hedging.md).
    /// </remarks>
    private async Task<bool> CompletesWithinAsync(Task attempt, long start, TimeSpan delay)
    {
        if (attempt.IsCompleted)
            return true;
        var left = delay - _timeProvider.GetElapsedTime(start);
        if (left < TimerSlack)
            return false;
        using var timer = new CancellationTokenSource();
        while (true)
        {
            // A timer shorter than a millisecond fires at once; a whole one keeps a re-wait from spinning.
            var elapsed = Task.Delay(left > MinimumWait ? left : MinimumWait, _timeProvider, timer.Token);
            if (await Task.WhenAny(attempt, elapsed).ConfigureAwait(false) != elapsed)
            {
                await timer.CancelAsync().ConfigureAwait(false);
                return true;
            }
            left = delay - _timeProvider.GetElapsedTime(start);
            if (left < TimerSlack)
                return false;
        }
    }

    private async Task<HttpResponseMessage> FinishAsync(HostHedging host, HedgedAttempt attempt)
    {
        try
        {
            var response = await attempt.Task.ConfigureAwait(false);
            if (!TransientOutcomes.IsTransient(response))
                host.OnSuccess(_timeProvider.GetElapsedTime(attempt.Start));
            return response;
        }
        finally
        {
            attempt.Keep();
        }
    }
}
