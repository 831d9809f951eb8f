namespace Salvo.Resilience;

public sealed partial class HedgingHandler
{
    /// <summary>
    /// Starts the first attempt; one that answers at once is returned as it is, with no timer armed and no async frame.
    /// Otherwise <see cref="WatchAsync"/> waits for it, hedging when it is slow.
    /// </summary>
    private Task<HttpResponseMessage> HedgeAsync(HostHedging host, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        host.OnCall();
        var delay = host.Delay;
        var primary = _attempts.Rent();
        // Taken now, before anything below can write to the original (auth sets a header, a redirect the URL); the copy
        // itself is built only if a hedge is sent.
        primary.Clone = RequestClone.Capture(request);
        // The copy shares the body. The first read of its Content-Length stores the computed value (a header
        // write), so read it now: two transports reading it at once would otherwise write at once.
        _ = request.Content?.Headers.ContentLength;
        primary.Run(_sendOnce, request, cancellationToken);
        var task = primary.Task;
        if (!task.IsCompleted)
            return WatchAsync(host, primary, delay, cancellationToken);
        Finish(host, primary);
        return task;
    }

    private async Task<HttpResponseMessage> WatchAsync(HostHedging host, HedgedAttempt primary, TimeSpan delay, CancellationToken cancellationToken)
    {
        // Refused by the budget, a call keeps asking — every quarter delay — for as long as its first attempt runs, and
        // while any refused call waits, calls asking for the first time are refused: room goes to the calls that have
        // stayed slow the longest, not to the ones a hair past the delay and about to answer.
        // (Few locals and awaiter types: this frame is what a pending call pays for hedging when no hedge fires.)
        var from = primary.Start;
        var wait = delay;
        var waiting = false;
        try
        {
            while (!await primary.AnswersWithinAsync(from, wait).ConfigureAwait(false) && !cancellationToken.IsCancellationRequested)
            {
                if (host.Budget.TryTake(waited: waiting))
                {
                    if (waiting)
                    {
                        waiting = false;
                        host.Budget.EndWait();
                    }
                    return await RaceAsync(host, primary, cancellationToken).ConfigureAwait(false);
                }
                Counters.OnDenied();
                if (!waiting)
                {
                    waiting = true;
                    host.Budget.BeginWait();
                    // In whole milliseconds, as .NET's timers count: a fractional wait would fire a hair early and be waited again.
                    wait = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(delay.TotalMilliseconds / 4)));
                }
                from = _timeProvider.GetTimestamp();
            }
        }
        finally
        {
            if (waiting)
                host.Budget.EndWait();
        }
        // Also when the caller cancelled and the attempt still runs (a handler that ignores cancellation): it is awaited.
        try
        {
            return await primary.Task.ConfigureAwait(false);
        }
        finally
        {
            Finish(host, primary);
        }
    }

    /// <summary>Sends the hedge and returns the outcome of the attempt the call keeps; the other is discarded.</summary>
    private async Task<HttpResponseMessage> RaceAsync(HostHedging host, HedgedAttempt primary, CancellationToken cancellationToken)
    {
        Counters.OnHedged();
        LogLaunched(primary.Request, _timeProvider.GetElapsedTime(primary.Start));
        var hedge = _attempts.Rent();
        hedge.Run(_sendOnce, primary.Clone.Build(), cancellationToken);
        var first = await Task.WhenAny(primary.Task, hedge.Task).ConfigureAwait(false) == primary.Task ? primary : hedge;
        var second = first == primary ? hedge : primary;
        var winner = first;
        // A failure does not win while the other attempt may still answer; when both fail, the original's outcome stands.
        if (!first.Succeeded)
        {
            await ((Task)second.Task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            winner = second.Succeeded ? second : primary;
        }
        (winner == primary ? hedge : primary).Discard();
        if (winner == hedge)
        {
            Counters.OnHedgeWon();
            if (hedge.Task.IsCompletedSuccessfully)
                hedge.Task.Result.RequestMessage = primary.Request; // callers and errors see the request they sent
        }
        try
        {
            return await winner.Task.ConfigureAwait(false);
        }
        finally
        {
            Finish(host, winner);
        }
    }

    /// <summary>The kept attempt has ended: a useful answer's latency feeds the host's percentile, and the attempt goes back to the pool.</summary>
    private void Finish(HostHedging host, HedgedAttempt attempt)
    {
        var task = attempt.Task;
        if (task.IsCompletedSuccessfully && !TransientOutcomes.IsTransient(task.Result))
            host.OnSuccess(_timeProvider.GetElapsedTime(attempt.Start));
        attempt.Keep();
    }
}
