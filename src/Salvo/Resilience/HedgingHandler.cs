using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Salvo.Resilience;

/// <summary>
/// Cuts tail latency by racing a second attempt against a slow first one (pipeline position 5, see
/// <see cref="Pipeline.PipelineStage.Hedging"/>). Opt-in, safe methods only, capped by a hedge budget; see
/// <see cref="HedgingOptions"/>.
/// </summary>
/// <remarks>
/// <para>Written by hand rather than with Polly's hedging strategy, for three reasons. Polly waits for every
/// losing attempt to finish before it returns the winner's outcome, so a loser stuck in a handler that ignores
/// cancellation holds the answer back; here the loser is cancelled and cleaned up on its own. The budget must be
/// taken exactly when a hedge is sent, and a refused call must be able to ask again later, which Polly's action
/// generator cannot express without sending. And a failing first attempt must not launch a hedge at once (Polly's
/// fallback mode): failures are the retry layer's job, with its backoff and budget.</para>
/// <para>The delay is measured from the first attempt's start on the precise clock: a timer that fires early (a
/// coarse timer tick) is waited again, so no hedge goes out before its delay. When the budget refuses a hedge, the
/// call asks again after each further delay while its first attempt runs, so the budget goes to the calls that stay
/// slow rather than to those a hair past the delay.</para>
/// <para>Each attempt runs on its own cancellation source, which the attempt-timeout handler below arms with the attempt
/// budget (see <see cref="Pipeline.AttemptSource"/>). The hedge is a copy of the request whose parts are taken before the
/// first attempt starts and which is built only when the hedge is sent (see <see cref="RequestClone"/>). Synchronous sends
/// are not hedged: racing needs concurrency.</para>
/// <para>Until a hedge is sent a call costs almost nothing: the attempt (its source, its timer, its wait) comes from a
/// small pool and goes back when the answer is kept, a first attempt that answers at once goes through no async frame and
/// arms no timer, and one still pending goes through one frame and links its source to the call's token only then.</para>
/// </remarks>
public sealed partial class HedgingHandler : DelegatingHandler
{
    private readonly bool _enabled;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly HostMap<HostHedging> _hosts;
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _sendOnce;
    private readonly HedgedAttemptPool _attempts;

    /// <summary>Creates the handler.</summary>
    /// <param name="options">When and how much to hedge; read once, here.</param>
    /// <param name="timeProvider">The clock for the hedge delay, latencies and the budget window; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where launched hedges are logged; <see langword="null"/> for none.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public HedgingHandler(HedgingOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        HedgingOptionsValidator.ThrowIfInvalid(options);
        _enabled = options.Enabled;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        var settings = new HedgingOptions
        {
            Delay = options.Delay,
            Percentile = options.Percentile,
            WindowSize = options.WindowSize,
            BudgetRatio = options.BudgetRatio,
            BudgetWindow = options.BudgetWindow,
        };
        var time = _timeProvider;
        _hosts = new HostMap<HostHedging>(options.MaxHosts, _ => new HostHedging(settings, time), static host => host.CanEvict(), time);
        _sendOnce = base.SendAsync;
        _attempts = new HedgedAttemptPool(_timeProvider);
    }

    /// <summary>What this handler has done: hedges sent and won, hedges the budget refused.</summary>
    public HedgingCounters Counters { get; } = new();

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var host = MayHedge(request) ? _hosts.Get(request.RequestUri!) : null;
        return host is null ? base.SendAsync(request, cancellationToken) : HedgeAsync(host, request, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Not hedged: a synchronous send has one thread to wait with.</remarks>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.Send(request, cancellationToken);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _attempts.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The hedge delay calls to an origin get now: its live latency percentile, or the fixed delay while that is not known.</summary>
    /// <param name="uri">Any absolute URL on the origin (scheme, host and port).</param>
    /// <returns>The delay, or <see langword="null"/> when no hedgeable call has gone to the origin (or it was evicted).</returns>
    public TimeSpan? GetDelay(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsAbsoluteUri ? _hosts.Find(uri)?.Delay : null;
    }

    /// <summary>Whether this handler would race a hedge for the request (otherwise it only passes it on).</summary>
    internal bool MayHedge(HttpRequestMessage request) =>
        request.RequestUri is { IsAbsoluteUri: true }
        && HttpMethods.IsSafe(request.Method)
        && ReplayableContent.IsReplayable(request.Content)
        && (request.GetSalvoSettings()?.Hedge ?? _enabled);
}
