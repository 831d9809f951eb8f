using Polly;
using Polly.Retry;

namespace Salvo.Resilience;

public sealed partial class RetryHandler
{
    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(int maxRetries, TimeProvider timeProvider) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = maxRetries,
                // Polly's own wait stays zero: the call waits on its current token before each retry (see the remarks on the type).
                Delay = TimeSpan.Zero,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                ShouldHandle = static args => new ValueTask<bool>(
                    args.Context.Properties.TryGetValue(RetryCall.Key, out var call) && call.Handler.ShouldRetry(call, args.Outcome, args.AttemptNumber)),
            })
            .Build();

    /// <summary>Retries a call whose first attempt (in <see cref="RetryCall"/>) was transient, until an outcome is final.</summary>
    internal async Task<HttpResponseMessage> RetryAsync(RetryCall call)
    {
        // Polly's token is not the one that counts (the call's may be replaced between attempts): the call holds it.
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        context.Properties.Set(RetryCall.Key, call);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(static (_, call) => call.AttemptAsync(), context, call).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private HttpResponseMessage Retry(RetryCall call)
    {
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        context.Properties.Set(RetryCall.Key, call);
        try
        {
            return _pipeline.Execute(static (_, call) => call.Attempt(), context, call);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Polly's predicate: whether the outcome of attempt <paramref name="attempt"/> (0 = the first) is retried. When
    /// it is, the wait before the next attempt is set on the call here, once it is known to fit in the budget.
    /// </summary>
    private bool ShouldRetry(RetryCall call, Outcome<HttpResponseMessage> outcome, int attempt)
    {
        var response = outcome.Exception is null ? outcome.Result : null;
        var transient = response is not null
            ? TransientOutcomes.IsTransient(response)
            : outcome.Exception is { } error && TransientOutcomes.IsTransient(error, call.Token);
        if (!transient)
            return false;
        if (attempt >= _maxRetries)
        {
            Counters.OnExhausted();
            LogExhausted(call, response, outcome.Exception);
            return false;
        }
        // An attempt that timed out on the call's own budget spent its token: the next attempt needs a fresh one.
        // False means the caller cancelled or the total budget ran out, so nothing may follow.
        if (!call.RenewToken())
            return false;

        TimeSpan delay;
        if (_useRetryAfter && response is not null && SalvoErrors.RetryAfter(response, _timeProvider) is { } serverWait)
        {
            if (serverWait > _maxDelay)
            {
                LogRetryAfterTooLong(call, response, serverWait);
                return false;
            }
            delay = serverWait;
        }
        else
        {
            delay = Backoff.DecorrelatedJitter(call.PreviousDelay, _baseDelay, _maxDelay, _randomizer());
        }

        var remaining = call.Remaining;
        if (remaining != Timeout.InfiniteTimeSpan && delay >= remaining)
        {
            Counters.OnOverBudget();
            LogOverBudget(call, response, outcome.Exception, delay, remaining);
            return false;
        }
        call.ScheduleNext(delay);
        Counters.OnRetry();
        LogScheduled(call, response, outcome.Exception, attempt + 1, delay);
        return true;
    }
}
