using Polly;
using Salvo.Auth;
using Salvo.ConcurrencyLimiting;
using Salvo.RateLimiting;
using Salvo.Resilience;
using Waiter = Salvo.RateLimiting.Waiter;

namespace Salvo.Pipeline;

/// <summary>
/// The innermost stages of one attempt — circuit breaker, auth, rate limiter, concurrency limiter, attempt budget, each
/// optional but the budget — run in one async frame with one clock reading at the start and one at the end, instead of a
/// frame and clock readings per stage; the retry layer's first attempt too, when retry and (passing-through) hedging sit
/// right above. <see cref="SalvoPipelineBuilder"/> sets it up when it composes those handlers next to each other; the
/// handlers stay in the chain, whole, and do the work themselves whenever this path does not apply.
/// </summary>
/// <remarks>
/// <para>The work and its order are the handlers': the breaker refuses nothing here (this path runs only while the
/// circuit is closed), the credential is attached, the rate limiter admits, queues or refuses, the concurrency limiter
/// grants a slot or queues, the attempt is counted and its budget armed, the transport is called, the budget disarmed, the
/// limiter completed with the response (learning its headers), the slot given back with the outcome, the credential taken
/// off (and a redirect or a 401 handed to the auth stage, whose further hops come down the chain again), and the breaker
/// told the outcome, and a transient outcome of the retry layer's first attempt handed to its retry loop (whose later
/// attempts come down the chain again) — the exceptions each stage maps are the same, and each stage above sees the one the
/// stage below threw.</para>
/// <para>The handlers do the work themselves (<see cref="TrySend"/> returns <see langword="null"/> before doing
/// anything) when the chain is not linked as composed (someone put a handler in between), when the circuit is not
/// closed (Polly's pipeline must admit the half-open trial), when the token is not at hand (a refresh is due) or the body
/// would need buffering for a replay, when the attempt's token is not the call budget's own (a hedge's attempt with its own
/// <see cref="AttemptSource"/> is fine; any other token means no <see cref="SalvoClient"/> budget), or when a stage runs on
/// another clock.</para>
/// <para>Why: each stage's own async frame and clock readings cost ~0.1–0.2 µs and, on real I/O, a state-machine box per
/// attempt; on a loopback benchmark that is several per cent of throughput (docs/benchmarks.md, "Where the default
/// pipeline's time goes").</para>
/// </remarks>
internal sealed class FusedAttempt
{
    private readonly CircuitBreakerHandler? _breaker;
    private readonly AuthHandler? _auth;
    private readonly RateLimitHandler? _rate;
    private readonly SalvoRateLimiter? _limiter;
    private readonly ConcurrencyLimitHandler? _concurrency;
    private readonly ConcurrencyPartitions? _gates;
    private readonly TimeoutHandler _attempt;
    private readonly DelegatingHandler _head;
    private readonly TimeProvider _timeProvider;
    private RetryHandler? _retry;
    private HedgingHandler? _hedging;

    private FusedAttempt(
        CircuitBreakerHandler? breaker, AuthHandler? auth, RateLimitHandler? rate, ConcurrencyLimitHandler? concurrency, TimeoutHandler attempt, TimeProvider timeProvider)
    {
        _breaker = breaker;
        _auth = auth;
        _rate = rate;
        _limiter = rate?.FusableLimiter;
        _concurrency = concurrency;
        _gates = concurrency?.FusablePartitions;
        _attempt = attempt;
        _timeProvider = timeProvider;
        _head = (DelegatingHandler?)breaker ?? (DelegatingHandler?)auth ?? (DelegatingHandler?)rate ?? concurrency!;
    }

    /// <summary>
    /// Finds, among handlers in pipeline order, the run "[circuit breaker] [auth] [rate limiter] [concurrency limiter] attempt
    /// budget" that ends at the attempt-budget handler, and lets its first handler run the run in one frame; when retry and
    /// hedging sit right above it, the retry handler may start its first attempt in that frame too. Nothing is set up when
    /// the run would be the attempt budget alone, or its handlers use different clocks.
    /// </summary>
    public static void Compose(IReadOnlyList<DelegatingHandler> handlers)
    {
        for (var i = handlers.Count - 1; i >= 0; i--)
        {
            if (handlers[i] is not TimeoutHandler { Budget: TimeoutBudget.Attempt } attempt)
                continue;
            var time = attempt.TimeProvider;
            var at = i;
            var concurrency = Take<ConcurrencyLimitHandler>(handlers, ref at, c => c.FusablePartitions is not null && ReferenceEquals(c.TimeProvider, time));
            var rate = Take<RateLimitHandler>(handlers, ref at, r => r.FusableLimiter is { } l && ReferenceEquals(l.Settings.TimeProvider, time));
            var auth = Take<AuthHandler>(handlers, ref at, static _ => true);
            var breaker = Take<CircuitBreakerHandler>(handlers, ref at, b => b.Enabled && ReferenceEquals(b.TimeProvider, time));
            if (breaker is null && auth is null && rate is null && concurrency is null)
                return;
            var fused = new FusedAttempt(breaker, auth, rate, concurrency, attempt, time);
            switch (fused._head)
            {
                case CircuitBreakerHandler b:
                    b.Fused = fused;
                    break;
                case AuthHandler a:
                    a.Fused = fused;
                    break;
                case RateLimitHandler r:
                    r.Fused = fused;
                    break;
                case ConcurrencyLimitHandler c:
                    c.Fused = fused;
                    break;
            }
            if (at >= 2 && handlers[at - 1] is HedgingHandler hedging && handlers[at - 2] is RetryHandler retry)
            {
                fused._retry = retry;
                fused._hedging = hedging;
                retry.Fused = fused;
            }
            return;
        }
    }

    /// <summary>The handler right above <paramref name="at"/> when it is a <typeparamref name="T"/> that fits (and then moves up to it).</summary>
    private static T? Take<T>(IReadOnlyList<DelegatingHandler> handlers, ref int at, Func<T, bool> fits)
        where T : DelegatingHandler
    {
        if (at == 0 || handlers[at - 1] is not T handler || !fits(handler))
            return null;
        at--;
        return handler;
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
                || !ReferenceEquals(_hedging!.InnerHandler, _head)
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
        TokenEntry? token = null;
        if (_auth is not null && !_auth.PassesThrough(request) && (token = _auth.TokenAtHand(request)) is null)
            return null;
        var gate = _gates?.For(request);
        if (gate is not null && !ReferenceEquals(gate.TimeProvider, _timeProvider))
            return null;

        // From here on this path owns the attempt.
        var withoutCredential = token is null ? null : _auth!.Attach(request, token);
        long now;
        Admission admission = default;
        Waiter? waiter = null;
        if (_limiter is not null)
        {
            var status = _limiter.Acquire(request, 1, Timeout.InfiniteTimeSpan, budget, mayQueue: true, out admission, out waiter, out var refusal, out now);
            if (status == AcquireStatus.Rejected)
            {
                // Not transient for the retry layer either: the exception goes up as the handlers would send it.
                if (token is not null)
                    _auth!.Detach(request, withoutCredential);
                var throttled = _limiter.Throttled(request, refusal);
                circuit?.Report(Outcome.FromException<HttpResponseMessage>(throttled), cancellationToken);
                return Task.FromException<HttpResponseMessage>(throttled);
            }
        }
        else
        {
            now = _timeProvider.GetTimestamp();
        }
        // A queued request enters the gate after its wait, as the handlers would have it.
        var entered = gate is not null && waiter is null && gate.TryEnter();
        circuit?.Touch(now);
        return SendAsync(new Attempt(request, context, circuit, token, withoutCredential, gate, entered, armed, source, retrying), admission, waiter, now, cancellationToken);
    }

    /// <summary>Whether the handlers are still linked as composed, so skipping from the first to the transport skips only them.</summary>
    private bool IsLinked()
    {
        HttpMessageHandler next = _attempt;
        return Linked(_concurrency, ref next) && Linked(_rate, ref next) && Linked(_auth, ref next) && Linked(_breaker, ref next);

        static bool Linked(DelegatingHandler? handler, ref HttpMessageHandler next)
        {
            if (handler is null)
                return true;
            if (!ReferenceEquals(handler.InnerHandler, next))
                return false;
            next = handler;
            return true;
        }
    }

    /// <summary>Every stage's work after the admission, in one frame; see the remarks on the type for the order.</summary>
    private async Task<HttpResponseMessage> SendAsync(Attempt attempt, Admission admission, Waiter? waiter, long now, CancellationToken cancellationToken)
    {
        var request = attempt.Request;
        var gate = attempt.Gate;
        var armed = attempt.Armed;
        HttpResponseMessage response;
        try
        {
            try
            {
                if (waiter is not null)
                {
                    admission = await _limiter!.WaitOrThrottleAsync(request, waiter, cancellationToken).ConfigureAwait(false);
                    now = _timeProvider.GetTimestamp();
                }
                if (gate is not null && !attempt.Entered)
                {
                    try
                    {
                        var slot = _concurrency!.WaitForSlotAsync(request, gate, cancellationToken);
                        if (!slot.IsCompletedSuccessfully)
                        {
                            await slot.ConfigureAwait(false);
                            now = _timeProvider.GetTimestamp();
                        }
                    }
                    catch
                    {
                        _limiter?.Complete(admission, null);
                        throw;
                    }
                }
                attempt.Context.CountAttempt();
                armed?.ArmAttempt(_attempt.Timeout, now);
                attempt.Source?.Arm(_attempt.Timeout);
                try
                {
                    response = await _attempt.SendInnerAsync(request, armed?.Token ?? cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // The attempt handler maps its own expiry (judged before the budget is disarmed), then the slot is given
                    // back with what the concurrency limiter would have seen, then the limiter completes.
                    var expired = _attempt.AttemptExpired(ex, request, attempt.Context, armed, attempt.Source);
                    armed?.DisarmAttempt();
                    if (gate is not null)
                        _concurrency!.Leave(gate, now, ConcurrencySignals.Of(expired ?? ex, request, cancellationToken));
                    _limiter?.Complete(admission, null);
                    if (expired is not null)
                        throw expired;
                    throw;
                }
                // One reading of the clock for the limiter, the slot and the budget. (Not armed?.DisarmAttempt(...Complete(...)):
                // without a budget to disarm, that would skip the completion.)
                var end = _limiter is not null ? _limiter.Complete(admission, response) : (long?)null;
                if (gate is not null)
                    _concurrency!.Leave(gate, now, ConcurrencySignals.Of(response), end);
                if (end is { } at)
                    armed?.DisarmAttempt(at);
                else
                    armed?.DisarmAttempt();
            }
            finally
            {
                if (attempt.Token is not null)
                    _auth!.Detach(request, attempt.WithoutCredential);
            }
            if (attempt.Token is not null && _auth!.NeedsFollowUp(request, response))
                response = await _auth.FollowUpAsync(request, response, attempt.Token, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            attempt.Circuit?.Report(Outcome.FromException<HttpResponseMessage>(ex), cancellationToken);
            if (attempt.Retry is not { } retrying || !TransientOutcomes.IsTransient(ex, cancellationToken))
                throw;
            return await retrying.RetryAsync(new RetryCall(retrying, request, cancellationToken, Outcome.FromException<HttpResponseMessage>(ex))).ConfigureAwait(false);
        }
        attempt.Circuit?.Report(Outcome.FromResult(response), cancellationToken);
        return attempt.Retry is { } retry && TransientOutcomes.IsTransient(response)
            ? await retry.RetryAsync(new RetryCall(retry, request, cancellationToken, Outcome.FromResult(response))).ConfigureAwait(false)
            : response;
    }

    /// <summary>What one attempt carries from its admission into its frame.</summary>
    private readonly record struct Attempt(
        HttpRequestMessage Request,
        SalvoRequestContext Context,
        HostCircuit? Circuit,
        TokenEntry? Token,
        Uri? WithoutCredential,
        ConcurrencyGate? Gate,
        bool Entered,
        CallBudget? Armed,
        AttemptSource? Source,
        RetryHandler? Retry);
}
