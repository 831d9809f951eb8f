using Microsoft.Extensions.Logging;
using Salvo.Auth;
using Salvo.Caching;
using Salvo.ConcurrencyLimiting;
using Salvo.RateLimiting;
using Salvo.Resilience;
using Salvo.Telemetry;

namespace Salvo.Pipeline;

/// <summary>
/// Composes Salvo's handlers in <see cref="PipelineStage"/> order around a transport. Use it to put the
/// same pipeline in front of any <see cref="HttpMessageHandler"/>, or let <see cref="SalvoClient"/> do it.
/// </summary>
public sealed class SalvoPipelineBuilder
{
    private readonly List<(PipelineStage Stage, int Order, Func<DelegatingHandler> Factory)> _handlers = [];

    /// <summary>Adds a handler at a stage; handlers at the same stage keep the order they were added in.</summary>
    /// <param name="stage">Where in the pipeline the handler goes.</param>
    /// <param name="factory">Creates the handler (called once per <see cref="Build"/>).</param>
    /// <returns>This builder.</returns>
    public SalvoPipelineBuilder Add(PipelineStage stage, Func<DelegatingHandler> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _handlers.Add((stage, _handlers.Count, factory));
        return this;
    }

    /// <summary>Creates the handlers, outermost first.</summary>
    /// <remarks>
    /// When a circuit breaker and/or a rate limiter sit right above the attempt budget, the first of them is told so, and
    /// while they stay linked in that order it runs all three in one async frame (same work, same order, same errors; see
    /// docs/benchmarks.md, "Where the default pipeline's time goes"). Linked any other way, each does its own work.
    /// </remarks>
    /// <returns>New handler instances, not yet linked.</returns>
    public IReadOnlyList<DelegatingHandler> CreateHandlers()
    {
        var handlers = _handlers.OrderBy(h => h.Stage).ThenBy(h => h.Order).Select(h => h.Factory()).ToArray();
        FusedAttempt.Compose(handlers);
        return handlers;
    }

    /// <summary>Links new handlers around <paramref name="transport"/> and returns the outermost.</summary>
    /// <param name="transport">The innermost handler that does the I/O; disposed with the pipeline.</param>
    /// <returns>The outermost handler, or <paramref name="transport"/> when there are no handlers.</returns>
    public HttpMessageHandler Build(HttpMessageHandler transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var next = transport;
        var handlers = CreateHandlers();
        for (var i = handlers.Count - 1; i >= 0; i--)
        {
            handlers[i].InnerHandler = next;
            next = handlers[i];
        }
        return next;
    }

    /// <summary>
    /// The pipeline for a set of options, in <see cref="PipelineStage"/> order: telemetry, response cache (when on), total
    /// budget, retry, hedging, circuit breaker, auth (with a credential), rate limiter, concurrency limiter (when on), attempt budget.
    /// </summary>
    /// <remarks>
    /// Retry and hedging handlers are always present, so a call's <see cref="SalvoRequestSettings.Retry"/> or
    /// <see cref="SalvoRequestSettings.Hedge"/> can switch them on even when the options leave them off; the circuit breaker,
    /// the rate limiter and the concurrency limiter are added only when their options switch them on. Each call of
    /// <see cref="Build"/> creates new handlers with their own state (circuits, learned limits), except a rate limiter shared
    /// through <see cref="RateLimitOptions.Limiter"/>. Each handler gets the options'
    /// <see cref="SalvoClientOptions.TimeProvider"/> and a logger named after its type.
    /// </remarks>
    /// <param name="options">The client options.</param>
    /// <param name="stats">Where the telemetry handler records call statistics, or <see langword="null"/>.</param>
    /// <returns>A builder holding the stages.</returns>
    public static SalvoPipelineBuilder CreateDefault(SalvoClientOptions options, SalvoStatsRecorder? stats = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var time = options.TimeProvider;
        var loggers = options.LoggerFactory;
        var builder = new SalvoPipelineBuilder()
            .Add(PipelineStage.Telemetry, () => new TelemetryHandler(loggers?.CreateLogger<TelemetryHandler>(), time, stats))
            .Add(PipelineStage.TotalTimeout, () => TimeoutHandler.Total(options.Timeouts.Total, time))
            .Add(PipelineStage.Retry, () => new RetryHandler(options.Retry, time, loggers?.CreateLogger<RetryHandler>()))
            .Add(PipelineStage.Hedging, () => new HedgingHandler(options.Hedging, time, loggers?.CreateLogger<HedgingHandler>()));
        if (options.Cache.Enabled)
            builder.Add(PipelineStage.Cache, () => new CacheHandler(options.Cache.GetOrCreateCache(time, loggers, options.BaseAddress, options.Auth?.IdentityHash)));
        if (options.CircuitBreaker.Enabled)
            builder.Add(PipelineStage.CircuitBreaker, () => new CircuitBreakerHandler(options.CircuitBreaker, time, loggers?.CreateLogger<CircuitBreakerHandler>()));
        if (options.Auth is { } auth)
            builder.Add(PipelineStage.Auth, () => new AuthHandler(auth, options.AllowAutoRedirect ? options.MaxRedirects : 0, loggers?.CreateLogger<AuthHandler>()));
        if (options.RateLimit.Enabled)
            builder.Add(PipelineStage.RateLimiter, () => new RateLimitHandler(options.RateLimit, time, loggers?.CreateLogger<RateLimitHandler>()));
        if (options.ConcurrencyLimit.Mode != ConcurrencyLimitMode.Off)
            builder.Add(PipelineStage.ConcurrencyLimiter, () => new ConcurrencyLimitHandler(options.ConcurrencyLimit, time, loggers?.CreateLogger<ConcurrencyLimitHandler>()));
        return builder.Add(PipelineStage.AttemptTimeout, () => TimeoutHandler.Attempt(options.Timeouts.Attempt, time));
    }
}
