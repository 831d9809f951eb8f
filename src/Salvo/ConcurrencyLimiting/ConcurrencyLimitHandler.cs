using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Salvo.Http;
using Salvo.Pipeline;

namespace Salvo.ConcurrencyLimiting;

/// <summary>
/// Bounds the requests in flight, per host by default: a fixed limit, one learned from latency and overload signals
/// (<see cref="ConcurrencyLimitMode.Adaptive"/>), or a <see cref="RateLimiter"/> of your own. A request that finds the
/// limit full waits in a FIFO line, at most until its call's time budget runs out; then, or when the line is full, it fails
/// with a <see cref="SalvoThrottledException"/> (<see cref="ThrottleReason.ConcurrencyLimit"/>) and nothing is sent.
/// </summary>
/// <remarks>
/// <para>Position 9 in the pipeline (<see cref="PipelineStage.ConcurrencyLimiter"/>): inside the retry layer, so every attempt
/// takes its own slot and a retry never holds one while it sleeps; outside the attempt timeout, so an attempt's budget does
/// not run while it waits. A slot is held until the response headers arrive (or the attempt fails); the body is read after
/// the slot is freed.</para>
/// <para>What the adaptive limit learns from each attempt: its round trip from slot to headers; a 503, a timeout (Salvo's
/// attempt or total budget, or a cancellation the caller did not ask for) or a 429 with <c>X-Rate-Limit-Type: service</c>
/// as overload; a quota 429, the caller's cancellation and connection errors as nothing.</para>
/// <para>Entering and leaving with room takes a lock, two timestamps and no allocation; the limits are reported as the
/// instruments in <see cref="ConcurrencyLimitMetrics"/>.</para>
/// </remarks>
public sealed partial class ConcurrencyLimitHandler : DelegatingHandler
{
    private readonly ConcurrencyLimitPolicy _policy;
    private readonly ConcurrencyPartitions? _partitions;
    private readonly RateLimiter? _limiter;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>Creates the handler.</summary>
    /// <param name="options">The limits; read once, now.</param>
    /// <param name="timeProvider">The clock for round trips and the adaptive windows; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where limit changes and rejections are logged (Debug); <see langword="null"/> for none.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid (every problem is listed).</exception>
    public ConcurrencyLimitHandler(ConcurrencyLimitOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ConcurrencyLimitOptionsValidator.ThrowIfInvalid(options);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        Mode = options.Mode;
        if (Mode == ConcurrencyLimitMode.Off)
        {
            _policy = ConcurrencyLimitPolicy.None;
            return;
        }
        if (options.Limiter is AdaptiveConcurrencyLimiter adaptive)
        {
            _policy = ConcurrencyLimitPolicy.Gates;
            _partitions = new ConcurrencyPartitions(adaptive.Gate, options.Name);
        }
        else if (options.Limiter is { } limiter)
        {
            _policy = ConcurrencyLimitPolicy.RateLimiter;
            _limiter = limiter;
            return;
        }
        else
        {
            _policy = ConcurrencyLimitPolicy.Gates;
            _partitions = new ConcurrencyPartitions(options, _timeProvider);
        }
        ConcurrencyLimitInstruments.Register(_partitions);
    }

    /// <summary>Whether and how this handler limits requests.</summary>
    public ConcurrencyLimitMode Mode { get; }

    internal ConcurrencyPartitions? Partitions => _partitions;

    /// <summary>The gates, when this handler keeps its own (not a user's <see cref="RateLimiter"/>): what the one-frame path can enter.</summary>
    internal ConcurrencyPartitions? FusablePartitions => _policy == ConcurrencyLimitPolicy.Gates ? _partitions : null;

    /// <summary>Set by <see cref="SalvoPipelineBuilder"/> when this handler heads a run of stages it composed (see <see cref="FusedAttempt"/>).</summary>
    internal FusedAttempt? Fused { get; set; }

    internal TimeProvider TimeProvider => _timeProvider;

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Fused is { } fused && fused.TrySend(request, cancellationToken) is { } sent)
            return sent;
        return _policy switch
        {
            ConcurrencyLimitPolicy.Gates => SendThroughGateAsync(request, _partitions!.For(request), cancellationToken),
            ConcurrencyLimitPolicy.RateLimiter => SendThroughLimiterAsync(request, _limiter!, cancellationToken),
            _ => base.SendAsync(request, cancellationToken),
        };
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0 && _partitions is not null)
        {
            ConcurrencyLimitInstruments.Unregister(_partitions);
            _partitions.Dispose();
        }
        base.Dispose(disposing);
    }

    private async Task<HttpResponseMessage> SendThroughGateAsync(HttpRequestMessage request, ConcurrencyGate gate, CancellationToken cancellationToken)
    {
        if (!gate.TryEnter())
            await WaitForSlotAsync(request, gate, cancellationToken).ConfigureAwait(false);
        var start = _timeProvider.GetTimestamp();
        var outcome = ConcurrencyOutcome.Ignored;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            outcome = ConcurrencySignals.Of(response);
            return response;
        }
        catch (Exception ex)
        {
            outcome = ConcurrencySignals.Of(ex, request, cancellationToken);
            throw;
        }
        finally
        {
            Leave(gate, start, outcome);
        }
    }

    /// <summary>Waits in the gate's line for a slot, or throws the typed refusal.</summary>
    internal async ValueTask WaitForSlotAsync(HttpRequestMessage request, ConcurrencyGate gate, CancellationToken cancellationToken)
    {
        var status = gate.Enter(out var waiter);
        if (status == GateStatus.Queued)
            status = await gate.WaitAsync(waiter!, cancellationToken).ConfigureAwait(false);
        ThrowUnlessEntered(status, request, gate, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendThroughLimiterAsync(HttpRequestMessage request, RateLimiter limiter, CancellationToken cancellationToken)
    {
        RateLimitLease lease;
        try
        {
            lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (SalvoRequestContext.BudgetExpired(request))
        {
            throw Throttled(request, null, null, queueFull: false);
        }
        using (lease)
        {
            if (!lease.IsAcquired)
                throw Throttled(request, null, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null, queueFull: true);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives the slot back with the attempt's outcome; <paramref name="end"/> is when the attempt ended, when already read.</summary>
    internal void Leave(ConcurrencyGate gate, long start, ConcurrencyOutcome outcome, long? end = null)
    {
        var (before, after) = gate.Exit(start, outcome, end);
        if (after < before && outcome == ConcurrencyOutcome.Dropped && _logger.IsEnabled(LogLevel.Debug))
            Log.LimitDecreased(_logger, gate.Partition ?? "*", before, after);
    }

    private void ThrowUnlessEntered(GateStatus status, HttpRequestMessage request, ConcurrencyGate gate, CancellationToken cancellationToken)
    {
        switch (status)
        {
            case GateStatus.Entered:
                return;
            case GateStatus.QueueFull:
                throw Throttled(request, gate, gate.EstimateWait(), queueFull: true);
            case GateStatus.Cancelled when SalvoRequestContext.BudgetExpired(request):
                throw Throttled(request, gate, gate.EstimateWait(), queueFull: false);
            case GateStatus.Cancelled:
                throw new OperationCanceledException(cancellationToken);
            default:
                throw new ObjectDisposedException(nameof(ConcurrencyLimitHandler));
        }
    }

    private SalvoThrottledException Throttled(HttpRequestMessage request, ConcurrencyGate? gate, TimeSpan? retryAfter, bool queueFull)
    {
        var partition = gate?.Partition;
        if (gate is not null && _partitions is not null)
            ConcurrencyLimitInstruments.OnRejected(_partitions, gate, queueFull);
        if (_logger.IsEnabled(LogLevel.Debug))
            Log.Throttled(_logger, request.Method.Method, Telemetry.Redaction.RedactUrl(request.RequestUri), partition ?? "*", queueFull ? "the line is full" : "no slot came free within the time budget");
        return new SalvoThrottledException(ThrottleReason.ConcurrencyLimit, partition, retryAfter, ErrorContexts.Of(request));
    }
}
