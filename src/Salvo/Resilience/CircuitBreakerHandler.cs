using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Salvo.Http;

namespace Salvo.Resilience;

/// <summary>
/// Stops calling a host that keeps failing (pipeline position 6, see <see cref="Pipeline.PipelineStage.CircuitBreaker"/>):
/// one Polly circuit breaker per origin, created on first use, so one failing host does not stop calls to
/// another. An open circuit fails a call at once, unsent, with <see cref="SalvoCircuitOpenException"/>.
/// </summary>
/// <remarks>
/// <para>Below the retry layer, each attempt is one sample, and a refused attempt is not retried (its wait is the
/// break, which the exception's <see cref="SalvoException.RetryAfter"/> reports). See <see cref="CircuitBreakerOptions"/>.</para>
/// <para>Outcomes that say nothing about the host — the caller's cancellation, a hedge that lost its race, Salvo's
/// own throttling below — are not recorded while the circuit is closed; as the half-open trial, such an outcome fails
/// (see <see cref="HostCircuit"/>).</para>
/// <para>The open circuit's <see cref="SalvoCircuitOpenException"/> carries the wait
/// (<see cref="SalvoException.RetryAfter"/>) and the moment the circuit half-opens
/// (<see cref="SalvoCircuitOpenException.HalfOpensAt"/>), both on the handler's clock.</para>
/// </remarks>
public sealed partial class CircuitBreakerHandler : DelegatingHandler
{
    private readonly bool _enabled;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly HostMap<HostCircuit> _circuits;

    /// <summary>Creates the handler.</summary>
    /// <param name="options">When circuits open and for how long; read once, here.</param>
    /// <param name="timeProvider">The clock for the sampling window and the break; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where circuits opening, half-opening and closing are logged; <see langword="null"/> for none.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public CircuitBreakerHandler(CircuitBreakerOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        CircuitBreakerOptionsValidator.ThrowIfInvalid(options);
        var time = _timeProvider = timeProvider ?? TimeProvider.System;
        // A copy, so changing the options later does not change breakers created from then on.
        var settings = new CircuitBreakerOptions
        {
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
        };
        _enabled = options.Enabled;
        _logger = logger ?? NullLogger.Instance;
        _circuits = new HostMap<HostCircuit>(
            options.MaxHosts,
            uri => new HostCircuit(uri.Authority, this, settings, time),
            static circuit => circuit.CanEvict(),
            time);
    }

    /// <summary>What this handler has done: circuits opened, calls refused.</summary>
    public CircuitBreakerCounters Counters { get; } = new();

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Fused is { } fused && fused.TrySend(request, cancellationToken) is { } sent)
            return sent;
        var circuit = CircuitFor(request);
        if (circuit is null)
            return base.SendAsync(request, cancellationToken);
        return circuit.State == CircuitState.Closed ? SendClosedAsync(circuit, request, cancellationToken) : SendThroughAsync(circuit, request, cancellationToken);
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var circuit = CircuitFor(request);
        if (circuit is null)
            return base.Send(request, cancellationToken);
        circuit.Touch();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            return circuit.Pipeline.Execute(
                static (context, state) =>
                {
                    state.Circuit.MarkIfTrial(context);
                    return state.Handler.SendOnce(state.Request, context.CancellationToken);
                },
                context,
                (Handler: this, Circuit: circuit, Request: request));
        }
        catch (BrokenCircuitException broken)
        {
            throw Refused(circuit, broken, request);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The state of an origin's circuit.</summary>
    /// <param name="uri">Any absolute URL on the origin (scheme, host and port).</param>
    /// <returns>The state, or <see langword="null"/> when the origin has no circuit (no call went to it, or it was evicted).</returns>
    public CircuitState? GetState(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsAbsoluteUri ? _circuits.Find(uri)?.State : null;
    }

    /// <summary>Set by <see cref="Pipeline.SalvoPipelineBuilder"/> when this handler heads a run of stages it composed (see <see cref="Pipeline.FusedAttempt"/>).</summary>
    internal Pipeline.FusedAttempt? Fused { get; set; }

    internal bool Enabled => _enabled;

    internal TimeProvider TimeProvider => _timeProvider;

    /// <summary>The request's circuit (created on first use), or <see langword="null"/> when the breaker is off, the URL is relative or the host map is full.</summary>
    internal HostCircuit? CircuitFor(HttpRequestMessage request)
    {
        if (!_enabled || request.RequestUri is not { IsAbsoluteUri: true } uri)
            return null;
        var circuit = _circuits.Get(uri);
        if (circuit is null)
            Counters.OnUntracked();
        return circuit;
    }

    /// <summary>
    /// The common case: the circuit is closed, so the attempt goes straight down and its outcome is reported to the breaker
    /// afterwards (<see cref="HostCircuit.Report"/>). Only open and half-open circuits run the attempt inside Polly's
    /// pipeline, which refuses it or admits exactly one trial; going through Polly's async execution on every call cost
    /// about 0.9 µs and 0.7 KB per attempt on real I/O (docs/benchmarks.md).
    /// </summary>
    private async Task<HttpResponseMessage> SendClosedAsync(HostCircuit circuit, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        circuit.Touch();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            circuit.Report(Outcome.FromException<HttpResponseMessage>(ex), cancellationToken);
            throw;
        }
        circuit.Report(Outcome.FromResult(response), cancellationToken);
        return response;
    }

    private async Task<HttpResponseMessage> SendThroughAsync(HostCircuit circuit, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        circuit.Touch();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await circuit.Pipeline.ExecuteOutcomeAsync(
                static async (context, state) =>
                {
                    state.Circuit.MarkIfTrial(context);
                    try
                    {
                        return Outcome.FromResult(await state.Handler.SendOnceAsync(state.Request, context.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Circuit: circuit, Request: request)).ConfigureAwait(false);
            if (outcome.Exception is BrokenCircuitException broken)
                throw Refused(circuit, broken, request);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private HttpResponseMessage SendOnce(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.Send(request, cancellationToken);

    /// <remarks>
    /// Polly's wait is the time left of the break. While the half-open trial is in flight other calls are refused
    /// too, and the trial may outlast the break, so the wait is never reported below zero.
    /// </remarks>
    private SalvoCircuitOpenException Refused(HostCircuit circuit, BrokenCircuitException broken, HttpRequestMessage request)
    {
        Counters.OnRejected();
        var wait = broken.RetryAfter is { } left ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : (TimeSpan?)null;
        return new SalvoCircuitOpenException(circuit.Host, wait, broken, ErrorContexts.Of(request))
        {
            HalfOpensAt = wait is { } w ? _timeProvider.GetUtcNow() + w : null,
        };
    }
}
