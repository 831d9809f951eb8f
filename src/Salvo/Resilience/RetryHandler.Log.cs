using Microsoft.Extensions.Logging;
using Salvo.Telemetry;

namespace Salvo.Resilience;

public sealed partial class RetryHandler
{
    private void LogScheduled(RetryCall call, HttpResponseMessage? response, Exception? exception, int retry, TimeSpan delay)
    {
        if (_logger.IsEnabled(LogLevel.Information))
            Log.Scheduled(_logger, call.Request.Method.Method, Redaction.RedactUrl(call.Request.RequestUri), retry, _maxRetries, delay.TotalMilliseconds, TransientOutcomes.Describe(response, exception));
    }

    private void LogOverBudget(RetryCall call, HttpResponseMessage? response, Exception? exception, TimeSpan delay, TimeSpan remaining)
    {
        if (_logger.IsEnabled(LogLevel.Information))
            Log.OverBudget(_logger, call.Request.Method.Method, Redaction.RedactUrl(call.Request.RequestUri), TransientOutcomes.Describe(response, exception), delay.TotalMilliseconds, remaining.TotalMilliseconds);
    }

    private void LogRetryAfterTooLong(RetryCall call, HttpResponseMessage response, TimeSpan serverWait)
    {
        if (_logger.IsEnabled(LogLevel.Information))
            Log.RetryAfterTooLong(_logger, call.Request.Method.Method, Redaction.RedactUrl(call.Request.RequestUri), TransientOutcomes.Describe(response, null), serverWait.TotalMilliseconds, _maxDelay.TotalMilliseconds);
    }

    private void LogExhausted(RetryCall call, HttpResponseMessage? response, Exception? exception)
    {
        if (_logger.IsEnabled(LogLevel.Information))
            Log.Exhausted(_logger, call.Request.Method.Method, Redaction.RedactUrl(call.Request.RequestUri), TransientOutcomes.Describe(response, exception), _maxRetries);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 401, Level = LogLevel.Information, EventName = "RetryScheduled",
            Message = "Retrying {Method} {Url} in {DelayMs:0} ms (retry {Retry} of {MaxRetries}) after {Reason}")]
        public static partial void Scheduled(ILogger logger, string method, string? url, int retry, int maxRetries, double delayMs, string reason);

        [LoggerMessage(EventId = 402, Level = LogLevel.Information, EventName = "RetryOverBudget",
            Message = "Not retrying {Method} {Url} after {Reason}: the {DelayMs:0} ms wait would overrun the {RemainingMs:0} ms left in its budget")]
        public static partial void OverBudget(ILogger logger, string method, string? url, string reason, double delayMs, double remainingMs);

        [LoggerMessage(EventId = 403, Level = LogLevel.Information, EventName = "RetryAfterTooLong",
            Message = "Not retrying {Method} {Url} after {Reason}: the server asked to wait {DelayMs:0} ms, longer than MaxDelay ({MaxDelayMs:0} ms)")]
        public static partial void RetryAfterTooLong(ILogger logger, string method, string? url, string reason, double delayMs, double maxDelayMs);

        [LoggerMessage(EventId = 404, Level = LogLevel.Information, EventName = "RetriesExhausted",
            Message = "{Method} {Url} still failed ({Reason}) after {MaxRetries} retries")]
        public static partial void Exhausted(ILogger logger, string method, string? url, string reason, int maxRetries);
    }
}
