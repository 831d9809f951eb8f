using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Salvo.Pipeline;

namespace Salvo.Telemetry;

/// <summary>
/// Records each logical call once: its duration on the <c>http.client.request.duration</c> histogram of the
/// <c>Salvo</c> meter, an <see cref="Activity"/> from the <c>Salvo</c> source, a structured log line with
/// the latency, and the client's <see cref="SalvoStats"/>. URLs are redacted; no header value is recorded.
/// </summary>
/// <remarks>
/// Position 1 in the pipeline (see <see cref="Pipeline.PipelineStage.Telemetry"/>), so a call retried three
/// times is one measurement with its real, user-visible latency; System.Net.Http's own meter still counts
/// each attempt. The duration runs up to the response headers, as in OpenTelemetry's convention. Tags are
/// computed only when someone listens, so an unobserved client pays two timestamps and a few increments.
/// </remarks>
public sealed partial class TelemetryHandler : DelegatingHandler
{
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly SalvoStatsRecorder? _stats;

    /// <summary>Creates the handler.</summary>
    /// <param name="logger">Where call logs go; <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="stats">Where call statistics are counted; <see langword="null"/> for none.</param>
    public TelemetryHandler(ILogger? logger = null, TimeProvider? timeProvider = null, SalvoStatsRecorder? stats = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _stats = stats;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = StartOf(request);
        var activity = StartActivity(request);
        _stats?.OnStart();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            OnResponse(request, response, start, activity);
            return response;
        }
        catch (Exception ex)
        {
            OnFailure(request, ex, start, activity);
            throw;
        }
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = _timeProvider.GetTimestamp();
        var activity = StartActivity(request);
        _stats?.OnStart();
        try
        {
            var response = base.Send(request, cancellationToken);
            OnResponse(request, response, start, activity);
            return response;
        }
        catch (Exception ex)
        {
            OnFailure(request, ex, start, activity);
            throw;
        }
    }

    /// <summary>
    /// When the call started: the moment its budget started, when <see cref="SalvoClient"/> started one on this clock
    /// just before sending (the budget's timestamp, so the clock is read once for both), or now.
    /// </summary>
    private long StartOf(HttpRequestMessage request) =>
        SalvoRequestContext.Find(request)?.Budget is { } budget && ReferenceEquals(budget.TimeProvider, _timeProvider)
            ? budget.StartTimestamp
            : _timeProvider.GetTimestamp();

    private static Activity? StartActivity(HttpRequestMessage request)
    {
        var source = SalvoDiagnostics.ActivitySource;
        if (!source.HasListeners())
            return null;
        var method = TelemetryTags.Method(request.Method);
        var activity = source.StartActivity(method, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("http.request.method", method);
            if (request.RequestUri is { IsAbsoluteUri: true } uri)
            {
                activity.SetTag("server.address", uri.Host);
                activity.SetTag("server.port", TelemetryTags.Port(uri.Port));
                activity.SetTag("url.full", Redaction.RedactUrl(uri));
            }
        }
        return activity;
    }

    private void OnResponse(HttpRequestMessage request, HttpResponseMessage response, long start, Activity? activity)
    {
        var elapsed = _timeProvider.GetElapsedTime(start);
        var status = (int)response.StatusCode;
        _stats?.OnResponse(status, elapsed);
        var errorType = status >= 400 ? TelemetryTags.StatusText(status) : null;
        if (SalvoDiagnostics.RequestDuration.Enabled)
            SalvoDiagnostics.RequestDuration.Record(elapsed.TotalSeconds, TelemetryTags.For(request, status, errorType));
        if (activity is not null)
        {
            activity.SetTag("http.response.status_code", TelemetryTags.Status(status));
            if (errorType is not null)
            {
                activity.SetTag("error.type", errorType);
                activity.SetStatus(ActivityStatusCode.Error);
            }
            activity.Dispose();
        }
        if (status >= 400 ? _logger.IsEnabled(LogLevel.Information) : _logger.IsEnabled(LogLevel.Debug))
            LogResponse(request, status, elapsed);
    }

    private void OnFailure(HttpRequestMessage request, Exception exception, long start, Activity? activity)
    {
        var elapsed = _timeProvider.GetElapsedTime(start);
        _stats?.OnFailure(elapsed);
        var errorType = TelemetryTags.ErrorType(exception);
        if (SalvoDiagnostics.RequestDuration.Enabled)
            SalvoDiagnostics.RequestDuration.Record(elapsed.TotalSeconds, TelemetryTags.For(request, null, errorType));
        if (activity is not null)
        {
            activity.SetTag("error.type", errorType);
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            activity.Dispose();
        }
        if (exception is OperationCanceledException)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
                Log.Cancelled(_logger, request.Method.Method, Redaction.RedactUrl(request.RequestUri), elapsed.TotalMilliseconds);
        }
        else if (_logger.IsEnabled(LogLevel.Warning))
        {
            Log.Failed(_logger, request.Method.Method, Redaction.RedactUrl(request.RequestUri), elapsed.TotalMilliseconds, errorType, exception);
        }
    }

    private void LogResponse(HttpRequestMessage request, int status, TimeSpan elapsed)
    {
        var url = Redaction.RedactUrl(request.RequestUri);
        if (status >= 400)
            Log.ErrorStatus(_logger, request.Method.Method, url, status, elapsed.TotalMilliseconds);
        else
            Log.Completed(_logger, request.Method.Method, url, status, elapsed.TotalMilliseconds);
    }
}
