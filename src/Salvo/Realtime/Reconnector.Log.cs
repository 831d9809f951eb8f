using Microsoft.Extensions.Logging;

namespace Salvo.Realtime;

internal sealed partial class Reconnector
{
    /// <summary>The streams' log messages; URLs are redacted and payloads (credentials) are never logged.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, EventName = "StreamConnected",
            Message = "Stream {Url} connected (connection {Connection})")]
        public static partial void Connected(ILogger logger, string url, int connection);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Information, EventName = "StreamReconnecting",
            Message = "Stream {Url} reconnecting in {DelayMs:0} ms (attempt {Attempt}) after: {Reason}")]
        public static partial void Reconnecting(ILogger logger, string url, int attempt, double delayMs, string reason);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, EventName = "StreamGaveUp",
            Message = "Stream {Url} gave up after {Attempts} failed reconnect attempts in a row: {Reason}")]
        public static partial void GaveUp(ILogger logger, string url, int attempts, string reason);
    }
}
