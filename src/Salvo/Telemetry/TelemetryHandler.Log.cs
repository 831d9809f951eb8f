using Microsoft.Extensions.Logging;

namespace Salvo.Telemetry;

public sealed partial class TelemetryHandler
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, EventName = "CallCompleted",
            Message = "{Method} {Url} -> {StatusCode} in {ElapsedMs:0.0} ms")]
        public static partial void Completed(ILogger logger, string method, string? url, int statusCode, double elapsedMs);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, EventName = "CallErrorStatus",
            Message = "{Method} {Url} -> {StatusCode} in {ElapsedMs:0.0} ms")]
        public static partial void ErrorStatus(ILogger logger, string method, string? url, int statusCode, double elapsedMs);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, EventName = "CallFailed",
            Message = "{Method} {Url} failed after {ElapsedMs:0.0} ms: {ErrorType}")]
        public static partial void Failed(ILogger logger, string method, string? url, double elapsedMs, string errorType, Exception exception);

        [LoggerMessage(EventId = 4, Level = LogLevel.Debug, EventName = "CallCancelled",
            Message = "{Method} {Url} cancelled by the caller after {ElapsedMs:0.0} ms")]
        public static partial void Cancelled(ILogger logger, string method, string? url, double elapsedMs);
    }
}
