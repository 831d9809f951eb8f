namespace Salvo.Resilience;

public sealed partial class HedgingHandler
{
    private async Task<HttpResponseMessage> HedgeAsync(HostHedging host, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        host.OnCall();
        var delay = host.Delay;
        // Copy now, before anything below can write to the original; skipped when the budget could not pay for a hedge anyway.
        HttpRequestMessage? spare = null;
        if (host.Budget.HasRoom())
        {
            spare = RequestClone.Of(request);
            // The copy shares the body. The first read of its Content-Length stores the computed value (a header
            // write), so read it now: two transports reading it at once would otherwise write at once.
            _ = request.Content?.Headers.ContentLength;
        }
        var primary = HedgedAttempt.Run(_sendOnce, request, _timeProvider, cancellationToken);
        if (!await CompletesWithinAsync(primary.Task, delay).ConfigureAwait(false) && !cancellationToken.IsCancellationRequested)
        {
            if (spare is not null && host.Budget.TryTake())
                return await RaceAsync(host, primary, spare, delay, cancellationToken).ConfigureAwait(false);
            Counters.OnDenied();
        }
        return await FinishAsync(host, primary).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> RaceAsync(HostHedging host, HedgedAttempt primary, HttpRequestMessage spare, TimeSpan delay, CancellationToken cancellationToken)
    {
        Counters.OnHedged();
        LogLaunched(primary.Request, delay);
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

    /// <summary>Waits until the attempt ends or the delay passes, whichever is first; the delay's timer is stopped either way.</summary>
    private async Task<bool> CompletesWithinAsync(Task attempt, TimeSpan delay)
    {
        if (attempt.IsCompleted)
            return true;
        using var timer = new CancellationTokenSource();
        var elapsed = Task.Delay(delay, _timeProvider, timer.Token);
        if (await Task.WhenAny(attempt, elapsed).ConfigureAwait(false) == elapsed)
            return false;
        await timer.CancelAsync().ConfigureAwait(false);
        return true;
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
