using Polly;
using Polly.CircuitBreaker;

namespace Salvo.Resilience;

/// <summary>The circuit breaker of one origin: a Polly pipeline with a single breaker, and when it was last used.</summary>
/// <remarks>
/// Polly knows two kinds of outcome, failures and everything else, and counts everything else as a success — so a
/// half-open trial that the caller cancelled, or that Salvo's own limiter held back, would close the circuit without
/// the host having answered. The call that runs while the circuit is half-open is the trial (Polly lets no other
/// through), so it is marked, and for it an outcome that says nothing about the host counts as a failed trial: the
/// circuit stays open for another break instead of closing on no evidence.
/// </remarks>
internal sealed class HostCircuit
{
    private static readonly ResiliencePropertyKey<bool> TrialKey = new("Salvo.CircuitTrial");
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _samplingDuration;
    private long _lastUsed;

    public HostCircuit(string host, CircuitBreakerHandler owner, CircuitBreakerOptions options, TimeProvider timeProvider)
    {
        Host = host;
        _timeProvider = timeProvider;
        _samplingDuration = options.SamplingDuration;
        _lastUsed = timeProvider.GetTimestamp();
        Pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                StateProvider = _state,
                ShouldHandle = static args => new ValueTask<bool>(IsFailure(args.Outcome, args.Context)),
                OnOpened = args =>
                {
                    owner.OnOpened(this, args.BreakDuration, args.Outcome);
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    owner.OnHalfOpened(this);
                    return default;
                },
                OnClosed = _ =>
                {
                    owner.OnClosed(this);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>The origin as <see cref="Uri.Authority"/> writes it (the port only when it is not the scheme's default).</summary>
    public string Host { get; }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    public CircuitState State => _state.CircuitState;

    /// <summary>Marks the call about to be sent as the half-open trial, when it is one. Call it inside the pipeline's callback.</summary>
    public void MarkIfTrial(ResilienceContext context)
    {
        if (State == CircuitState.HalfOpen)
            context.Properties.Set(TrialKey, true);
    }

    public void Touch() => Volatile.Write(ref _lastUsed, _timeProvider.GetTimestamp());

    /// <summary>Marks the circuit used at <paramref name="now"/>, a timestamp of its clock read just now.</summary>
    public void Touch(long now) => Volatile.Write(ref _lastUsed, now);

    /// <summary>
    /// Records the outcome of an attempt sent while the circuit was closed, by running the breaker over a callback that
    /// only returns it: Polly's state machine and health metrics judge it, with no async frame of Polly's per call.
    /// An outcome that says nothing about the host (the caller cancelled, a hedge lost) is not recorded at all, rather
    /// than counted as a success.
    /// </summary>
    /// <param name="outcome">What the attempt ended with.</param>
    /// <param name="attemptToken">The token the attempt was sent with, so a cancellation from above is told apart from a timeout below.</param>
    public void Report(Outcome<HttpResponseMessage> outcome, CancellationToken attemptToken)
    {
        var verdict = outcome.Exception is { } error ? BreakerOutcomes.Judge(error, attemptToken) : BreakerOutcomes.Judge(outcome.Result!);
        if (verdict == BreakerVerdict.SaysNothing)
            return;
        // Not the attempt's token: when an attempt timed out on the call's own budget, that token has fired, and Polly would
        // refuse to run a cancelled execution — the timeout, a failure of the host, would go unrecorded.
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        try
        {
            // The callback completes at once, so the whole execution does; an open circuit (opened meanwhile by other
            // attempts) refuses it without calling back, and the outcome, already returned to the caller, is dropped.
            var recorded = Pipeline.ExecuteOutcomeAsync(static (_, known) => new ValueTask<Outcome<HttpResponseMessage>>(known), context, outcome);
            if (!recorded.IsCompleted)
                recorded.AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Closed and unused for longer than the sampling window: it holds no counts, so dropping it loses nothing.</summary>
    public bool CanEvict() =>
        State == CircuitState.Closed && _timeProvider.GetElapsedTime(Volatile.Read(ref _lastUsed)) > _samplingDuration;

    /// <summary>
    /// Inside the pipeline (open and half-open circuits) the context's token is the one the attempt was sent with, so a
    /// cancellation from above is told apart from a timeout below; <see cref="Report"/> has judged that already and passes none.
    /// </summary>
    private static bool IsFailure(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var verdict = outcome.Exception is { } error
            ? BreakerOutcomes.Judge(error, context.CancellationToken)
            : BreakerOutcomes.Judge(outcome.Result!);
        return verdict == BreakerVerdict.Failed
            || (verdict == BreakerVerdict.SaysNothing && context.Properties.GetValue(TrialKey, false));
    }
}
