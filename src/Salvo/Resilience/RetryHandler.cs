using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Salvo.Pipeline;

namespace Salvo.Resilience;

/// <summary>
/// Retries transient failures within the call's time budget (pipeline position 4, see
/// <see cref="Pipeline.PipelineStage.Retry"/>): exponential backoff with decorrelated jitter, the server's
/// <c>Retry-After</c> honoured, no wait that would overrun the budget, and non-idempotent methods only when
/// that is safe. See <see cref="RetryOptions"/> for the rules.
/// </summary>
/// <remarks>
/// <para>The first attempt goes straight down the pipeline: a call that succeeds costs one state machine and no
/// Polly machinery. Only a transient outcome hands the call to a Polly retry pipeline, whose first turn replays
/// that outcome instead of sending again.</para>
/// <para>Polly runs the loop, decides with <see cref="RetryStrategyOptions{TResult}.ShouldHandle"/> and disposes
/// every discarded response, but does not wait: the wait is computed here (so it can be checked against the
/// budget before deciding) and waited on the call's current token. A Polly context's token is fixed for the
/// whole execution, while the call's budget replaces its token after an attempt timeout
/// (<see cref="Pipeline.CallBudget.Renew"/>); waiting on a fixed token would either end the call at the first
/// attempt timeout or ignore the caller's cancellation.</para>
/// <para>Request bodies are made replayable before the first attempt (see <see cref="ReplayableContent"/>).
/// A retry that would not fit in the budget is not attempted: the call ends at once with the last response (a 429
/// keeps its <c>Retry-After</c>, which Salvo's typed error carries) or rethrows the last exception.</para>
/// </remarks>
public sealed partial class RetryHandler : DelegatingHandler
{
    /// <summary>The header that makes a POST or PATCH safe to retry (draft-ietf-httpapi-idempotency-key-header).</summary>
    /// <value>The value is <c>Idempotency-Key</c>.</value>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private readonly bool _enabled;
    private readonly int _maxRetries;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly bool _retryUnsafeMethods;
    private readonly bool _useRetryAfter;
    private readonly Func<double> _randomizer;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>Creates the handler.</summary>
    /// <param name="options">The retry rules; read once, here.</param>
    /// <param name="timeProvider">The clock for waits and for HTTP-date <c>Retry-After</c>; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where scheduled and abandoned retries are logged; <see langword="null"/> for none.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public RetryHandler(RetryOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        RetryOptionsValidator.ThrowIfInvalid(options);
        _enabled = options.Enabled;
        _maxRetries = options.MaxRetries;
        _baseDelay = options.BaseDelay;
        _maxDelay = options.MaxDelay;
        _retryUnsafeMethods = options.RetryUnsafeMethods;
        _useRetryAfter = options.UseRetryAfter;
        _randomizer = options.Randomizer;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _pipeline = _maxRetries == 0 ? ResiliencePipeline<HttpResponseMessage>.Empty : BuildPipeline(_maxRetries, _timeProvider);
    }

    /// <summary>What this handler has done: retries sent, and calls it gave up on.</summary>
    public RetryCounters Counters { get; } = new();

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MayRetry(request))
            return base.SendAsync(request, cancellationToken);
        // A request without a body needs no buffering first, so its first attempt can run in the stages' one frame below.
        if (request.Content is null && Fused is { } fused && fused.TrySend(request, cancellationToken, this) is { } sent)
            return sent;
        return SendWithRetriesAsync(request, cancellationToken);
    }

    /// <summary>Set by <see cref="SalvoPipelineBuilder"/> when the stages below run in one frame that can also judge this layer's first attempt (see <see cref="FusedAttempt"/>).</summary>
    internal FusedAttempt? Fused { get; set; }

    /// <inheritdoc />
    /// <remarks>Waits between attempts block the calling thread, as a synchronous send must.</remarks>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MayRetry(request))
            return base.Send(request, cancellationToken);
        ReplayableContent.Ensure(request.Content, cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = base.Send(request, cancellationToken);
        }
        catch (Exception ex) when (TransientOutcomes.IsTransient(ex, cancellationToken))
        {
            return Retry(new RetryCall(this, request, cancellationToken, Outcome.FromException<HttpResponseMessage>(ex)));
        }
        return TransientOutcomes.IsTransient(response)
            ? Retry(new RetryCall(this, request, cancellationToken, Outcome.FromResult(response)))
            : response;
    }

    internal TimeProvider TimeProvider => _timeProvider;

    internal TimeSpan BaseDelayForBackoff => _baseDelay;

    internal Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    internal HttpResponseMessage SendOnce(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.Send(request, cancellationToken);

    /// <summary>Whether this call may be retried at all: retries on for it, and its method safe to repeat.</summary>
    private bool MayRetry(HttpRequestMessage request)
    {
        var settings = request.GetSalvoSettings();
        if (_maxRetries == 0 || !(settings?.Retry ?? _enabled))
            return false;
        return HttpMethods.IsIdempotent(request.Method)
            || _retryUnsafeMethods
            || settings?.AllowUnsafeRetry == true
            || request.Headers.Contains(IdempotencyKeyHeader);
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await ReplayableContent.EnsureAsync(request.Content, cancellationToken).ConfigureAwait(false);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (TransientOutcomes.IsTransient(ex, cancellationToken))
        {
            return await RetryAsync(new RetryCall(this, request, cancellationToken, Outcome.FromException<HttpResponseMessage>(ex))).ConfigureAwait(false);
        }
        return TransientOutcomes.IsTransient(response)
            ? await RetryAsync(new RetryCall(this, request, cancellationToken, Outcome.FromResult(response))).ConfigureAwait(false)
            : response;
    }
}
