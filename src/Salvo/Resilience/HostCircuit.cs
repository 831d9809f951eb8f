using Polly;
using Polly.CircuitBreaker;

namespace Salvo.Resilience;

/// <summary>The circuit breaker of one origin: a Polly pipeline with a single breaker, and when it was last used.</summary>
internal sealed class HostCircuit
{
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _samplingDuration;
    private long _lastUsed;

    public HostCircuit(HostKey key, CircuitBreakerHandler owner, CircuitBreakerOptions options, TimeProvider timeProvider)
    {
        Host = key.Display;
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
                // Failures are the transient outcomes; the context's token is the one this attempt was sent with.
                ShouldHandle = static args => new ValueTask<bool>(args.Outcome.Exception is { } error
                    ? TransientOutcomes.IsTransient(error, args.Context.CancellationToken)
                    : TransientOutcomes.IsTransient(args.Outcome.Result!)),
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

    /// <summary>The origin as <c>host:port</c>.</summary>
    public string Host { get; }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    public CircuitState State => _state.CircuitState;

    public void Touch() => Volatile.Write(ref _lastUsed, _timeProvider.GetTimestamp());

    /// <summary>Closed and unused for longer than the sampling window: it holds no counts, so dropping it loses nothing.</summary>
    public bool CanEvict() =>
        State == CircuitState.Closed && _timeProvider.GetElapsedTime(Volatile.Read(ref _lastUsed)) > _samplingDuration;
}
