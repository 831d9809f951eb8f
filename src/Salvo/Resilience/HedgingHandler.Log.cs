using Microsoft.Extensions.Logging;
using Salvo.Telemetry;

namespace Salvo.Resilience;

public sealed partial class HedgingHandler
{
    private void LogLaunched(HttpRequestMessage request, TimeSpan delay)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
            Log.Launched(_logger, request.Method.Method, Redaction.RedactUrl(request.RequestUri), delay.TotalMilliseconds);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 501, Level = LogLevel.Debug, EventName = "HedgeLaunched",
            Message = "Hedging {Method} {Url}: no answer after {DelayMs:0.#} ms, sending a second attempt")]
        public static partial void Launched(ILogger logger, string method, string? url, double delayMs);
    }
}
