using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Salvo.Pipeline;

namespace Salvo.RateLimiting;

/// <summary>
/// Keeps every attempt within the server's rate limits, through a <see cref="SalvoRateLimiter"/> (configured windows
/// and windows learned from response headers, per host, route or key) or a
/// <see cref="PartitionedRateLimiter{TResource}"/> of your own. An attempt that finds no room waits, first come first
/// served, while the wait fits in its call's remaining time budget; otherwise it fails with a
/// <see cref="SalvoThrottledException"/> saying when to retry, and nothing is sent.
/// </summary>
/// <remarks>
/// <para>Position 8 in the pipeline (<see cref="PipelineStage.RateLimiter"/>): inside the retry layer, the circuit
/// breaker and auth, so every attempt acquires its own permit and a retry never holds one while it sleeps; outside the
/// concurrency limiter and the attempt timeout, so neither a concurrency slot nor an attempt's budget is spent waiting
/// for the rate limit. A permit is counted when the attempt is admitted and completed when its response headers arrive
/// (or the attempt fails), when the response's rate-limit headers are learned.</para>
/// <para>The handler never invents a 429: a quota 429 from the server passes up to the retry layer as it came, and
/// its <c>Retry-After</c> pauses the partition for every other caller too.</para>
/// </remarks>
public sealed partial class RateLimitHandler : DelegatingHandler
{
    private readonly SalvoRateLimiter? _limiter;
    private readonly PartitionedRateLimiter<HttpRequestMessage>? _userLimiter;
    private readonly bool _ownsLimiter;
    private readonly bool _passThrough;
    private readonly RateLimitMode _mode;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>Creates the handler with a limiter of its own, built from <paramref name="options"/> (or the one they supply).</summary>
    /// <param name="options">The limits; read once, now. With <see cref="RateLimitOptions.Limiter"/> set, that limiter is used (and not disposed).</param>
    /// <param name="timeProvider">The clock for windows, pauses and waits; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where learned limits, pauses and rejections are logged; <see langword="null"/> for none.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid (every problem is listed).</exception>
    public RateLimitHandler(RateLimitOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        RateLimitOptionsValidator.ThrowIfInvalid(options);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _mode = options.Mode;
        if (!options.Enabled)
        {
            _passThrough = true;
            return;
        }
        switch (options.Limiter)
        {
            case SalvoRateLimiter shared:
                _limiter = shared;
                _mode = shared.Mode;
                break;
            case { } user:
                _userLimiter = user;
                break;
            default:
                _limiter = new SalvoRateLimiter(options, _timeProvider, _logger);
                _ownsLimiter = true;
                break;
        }
    }

    /// <summary>Creates the handler over a limiter shared with other handlers or clients; the handler does not dispose it.</summary>
    /// <param name="limiter">The limiter.</param>
    public RateLimitHandler(SalvoRateLimiter limiter)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        _limiter = limiter;
        _mode = limiter.Mode;
        _timeProvider = limiter.Settings.TimeProvider;
        _logger = limiter.Settings.Logger;
    }

    /// <summary>
    /// The Salvo limiter behind this handler (its counters and snapshots), or <see langword="null"/> when it uses a limiter
    /// of yours or is switched off (<see cref="RateLimitOptions.Enabled"/>).
    /// </summary>
    public SalvoRateLimiter? Limiter => _limiter;

    /// <summary>The limiter the pipeline may run in one frame with the stages below it: Salvo's own, and on.</summary>
    internal SalvoRateLimiter? FusableLimiter => _passThrough || _userLimiter is not null ? null : _limiter;

    /// <summary>Set by <see cref="SalvoPipelineBuilder"/> when this handler heads a run of stages it composed (see <see cref="FusedAttempt"/>).</summary>
    internal FusedAttempt? Fused { get; set; }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_passThrough)
            return base.SendAsync(request, cancellationToken);
        if (_limiter is null)
            return SendThroughUserLimiterAsync(request, cancellationToken);
        if (Fused is { } fused && fused.TrySend(request, cancellationToken) is { } sent)
            return sent;
        var status = _limiter.Acquire(
            request, 1, Timeout.InfiniteTimeSpan, SalvoRequestContext.Find(request)?.Budget, mayQueue: true, out var admission, out var waiter, out var refusal, out _);
        return status switch
        {
            AcquireStatus.Admitted => SendAdmittedAsync(request, admission, cancellationToken),
            AcquireStatus.Queued => SendAfterWaitAsync(request, waiter!, cancellationToken),
            _ => Task.FromException<HttpResponseMessage>(_limiter.Throttled(request, refusal)),
        };
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsLimiter)
            _limiter!.Dispose();
        base.Dispose(disposing);
    }

    private async Task<HttpResponseMessage> SendAfterWaitAsync(HttpRequestMessage request, Waiter waiter, CancellationToken cancellationToken)
    {
        var admission = await _limiter!.WaitOrThrottleAsync(request, waiter, cancellationToken).ConfigureAwait(false);
        return await SendAdmittedAsync(request, admission, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAdmittedAsync(HttpRequestMessage request, Admission admission, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _limiter!.Complete(admission, null);
            throw;
        }
        _limiter!.Complete(admission, response);
        return response;
    }

}
