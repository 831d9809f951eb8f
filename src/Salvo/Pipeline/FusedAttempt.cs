using Polly;
using Salvo.RateLimiting;
using Salvo.Resilience;

namespace Salvo.Pipeline;

/// <summary>
/// The innermost stages of one attempt — circuit breaker, rate limiter, attempt budget, each optional but the budget —
/// run in one async frame with one clock reading at the start and one at the end, instead of a frame and clock readings
/// per stage; the retry layer's first attempt too, when retry and (passing-through) hedging sit right above. <see cref="SalvoPipelineBuilder"/> sets it up when it composes those handlers next to each other; the
/// handlers stay in the chain, whole, and do the work themselves whenever this path does not apply.
/// </summary>
/// <remarks>
/// <para>The work and its order are the handlers': the breaker refuses nothing here (this path runs only while the
/// circuit is closed), the rate limiter admits, queues or refuses, the attempt is counted and its budget armed, the
/// transport is called, the budget disarmed, the limiter completed with the response (learning its headers), and the
/// breaker told the outcome, and a transient outcome of the retry layer's first attempt handed to its retry loop (whose
/// later attempts come down the chain again) — the exceptions each stage maps are the same, and each stage above sees the
/// one the stage below threw.</para>
/// <para>The handlers do the work themselves (<see cref="TrySend"/> returns <see langword="null"/> before doing
/// anything) when the chain is not linked as composed (someone put a handler in between), when the circuit is not
/// closed (Polly's pipeline must admit the half-open trial), when the attempt's token is not the call budget's own (a
/// hedge's attempt with its own <see cref="AttemptSource"/> is fine; any other token means no <see cref="SalvoClient"/>
/// budget), or when the budget runs on another clock.</para>
/// <para>Why: on real I/O each stage's own async frame and clock readings cost ~0.1–0.2 µs per attempt, which on a
/// loopback benchmark is several per cent of throughput (docs/benchmarks.md, "Where the default pipeline's time goes").</para>
/// </remarks>
internal sealed class FusedAttempt
{
    private readonly CircuitBreakerHandler? _breaker;
    private readonly RateLimitHandler? _rate;
    private readonly SalvoRateLimiter? _limiter;
    private readonly TimeoutHandler _attempt;
    private readonly TimeProvider _timeProvider;
    private RetryHandler? _retry;
    private HedgingHandler? _hedging;

    private FusedAttempt(CircuitBreakerHandler? breaker, RateLimitHandler? rate, TimeoutHandler attempt, TimeProvider timeProvider)
    {
        _breaker = breaker;
        _rate = rate;
        _limiter = rate?.FusableLimiter;
        _attempt = attempt;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Finds, among handlers in pipeline order, the run "[circuit breaker] [rate limiter] attempt budget" that ends at the
    /// attempt-budget handler, and lets its first handler run the run in one frame; when retry and hedging sit right above
    /// it, the retry handler may start its first attempt in that frame too. Nothing is set up when the run would be the
    /// attempt budget alone, or its handlers use different clocks.
    /// </summary>
    public static void Compose(IReadOnlyList<DelegatingHandler> handlers)
    {
        for (var i = handlers.Count - 1; i >= 0; i--)
        {
            if (handlers[i] is not TimeoutHandler { Budget: TimeoutBudget.Attempt } attempt)
                continue;
            var at = i;
            var rate = at > 0 && handlers[at - 1] is RateLimitHandler { FusableLimiter: { } } r ? r : null;
            if (rate is not null)
                at--;
            var breaker = at > 0 && handlers[at - 1] is CircuitBreakerHandler { Enabled: true } b ? b : null;
            if (breaker is null && rate is null)
                return;
            var time = attempt.TimeProvider;
            if ((rate is not null && !ReferenceEquals(rate.FusableLimiter!.Settings.TimeProvider, time))
                || (breaker is not null && !ReferenceEquals(breaker.TimeProvider, time)))
                return;
            var fused = new FusedAttempt(breaker, rate, attempt, time);
            if (breaker is not null)
                breaker.Fused = fused;
            else
                rate!.Fused = fused;
            var head = at - (breaker is null ? 0 : 1);
            if (head >= 2 && handlers[head - 1] is HedgingHandler hedging && handlers[head - 2] is RetryHandler retry)
            {
                fused._retry = retry;
                fused._hedging = hedging;
                retry.Fused = fused;
            }
            return;
        }
    }

    /// <summary>
    /// Runs the attempt through every fused stage, or returns <see langword="null"/> — having done nothing — when the
    /// handlers must do it themselves (see the remarks on the type).
    /// </summary>
    /// <param name="request">The attempt's request.</param>
    /// <param name="cancellationToken">The attempt's token, as the first fused handler received it.</param>
    /// <param name="retrying">
    /// The retry handler, when it calls with its first attempt: the outcome is then judged in this frame too, and a
    /// transient one handed to its retry loop — only while the hedging handler between would pass the request on.
    /// </param>
    public Task<HttpResponseMessage>? TrySend(HttpRequestMessage request, CancellationToken cancellationToken, RetryHandler? retrying = null)
    {
        if (!IsLinked() || request.RequestUri is not { IsAbsoluteUri: true })
            return null;
        if (retrying is not null
            && (!ReferenceEquals(retrying, _retry)
                || !ReferenceEquals(_retry.InnerHandler, _hedging)
                || !ReferenceEquals(_hedging!.InnerHandler, (DelegatingHandler?)_breaker ?? _rate)
                || _hedging.MayHedge(request)))
        {
            return null;
        }
        var context = SalvoRequestContext.GetOrCreate(request);
        var timeout = _attempt.Timeout;
        var budget = context.Budget;
        CallBudget? armed = null;
        AttemptSource? source = null;
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            if (budget is not null && budget.Token == cancellationToken)
                armed = budget;
            else if (AttemptSource.Of(request) is { } own && own.Token == cancellationToken)
                source = own;
            else
                return null;
        }
        if (budget is not null && !ReferenceEquals(budget.TimeProvider, _timeProvider))
            return null;
        HostCircuit? circuit = null;
        if (_breaker is not null)
        {
            circuit = _breaker.CircuitFor(request);
            if (circuit is not null && circuit.State != Polly.CircuitBreaker.CircuitState.Closed)
                return null;
        }

        // From here on this path owns the attempt.
        long now;
        Admission admission = default;
        Waiter? waiter = null;
        if (_limiter is not null)
        {
            var status = _limiter.Acquire(request, 1, Timeout.InfiniteTimeSpan, budget, mayQueue: true, out admission, out waiter, out var refusal, out now);
            if (status == AcquireStatus.Rejected)
            {
                // Not transient for the retry layer either: the exception goes up as the handlers would send it.
                var throttled = _limiter.Throttled(request, refusal);
                circuit?.Report(Outcome.FromException<HttpResponseMessage>(throttled), cancellationToken);
                return Task.FromException<HttpResponseMessage>(throttled);
            }
        }
        else
        {
            now = _timeProvider.GetTimestamp();
        }
        circuit?.Touch(now);
        return SendAsync(request, context, circuit, admission, waiter, armed, source, now, retrying, cancellationToken);
    }

    /// <summary>Whether the handlers are still linked as composed, so skipping from the first to the transport skips only them.</summary>
    private bool IsLinked()
    {
        if (_breaker is not null && !ReferenceEquals(_breaker.InnerHandler, (DelegatingHandler?)_rate ?? _attempt))
            return false;
        return _rate is null || ReferenceEquals(_rate.InnerHandler, _attempt);
    }

    /// <summary>Every stage's work after the admission, in one frame; see the remarks on the type for the order.</summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, SalvoRequestContext context, HostCircuit? circuit, Admission admission, Waiter? waiter, CallBudget? armed,
        AttemptSource? source, long now, RetryHandler? retry, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            if (waiter is not null)
            {
                admission = await _limiter!.WaitOrThrottleAsync(request, waiter, cancellationToken).ConfigureAwait(false);
                now = _timeProvider.GetTimestamp();
            }
            context.CountAttempt();
            armed?.ArmAttempt(_attempt.Timeout, now);
            source?.Arm(_attempt.Timeout);
            try
            {
                response = await _attempt.SendInnerAsync(request, armed?.Token ?? cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The attempt handler maps its own expiry (judged before the budget is disarmed), then the limiter completes.
                var expired = _attempt.AttemptExpired(ex, request, context, armed, source);
                armed?.DisarmAttempt();
                _limiter?.Complete(admission, null);
                if (expired is not null)
                    throw expired;
                throw;
            }
            // (Not armed?.DisarmAttempt(_limiter.Complete(...)): without a budget to disarm, that would skip the completion.)
            if (_limiter is not null)
            {
                var end = _limiter.Complete(admission, response);
                armed?.DisarmAttempt(end);
            }
            else
            {
                armed?.DisarmAttempt();
            }
        }
        catch (Exception ex)
        {
            circuit?.Report(Outcome.FromException<HttpResponseMessage>(ex), cancellationToken);
            if (retry is null || !TransientOutcomes.IsTransient(ex, cancellationToken))
                throw;
            return await retry.RetryAsync(new RetryCall(retry, request, cancellationToken, Outcome.FromException<HttpResponseMessage>(ex))).ConfigureAwait(false);
        }
        circuit?.Report(Outcome.FromResult(response), cancellationToken);
        return retry is not null && TransientOutcomes.IsTransient(response)
            ? await retry.RetryAsync(new RetryCall(retry, request, cancellationToken, Outcome.FromResult(response))).ConfigureAwait(false)
            : response;
    }
}
