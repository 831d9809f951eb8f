using Microsoft.Extensions.Logging;
using Polly;

namespace Salvo.Resilience;

public sealed partial class CircuitBreakerHandler
{
    internal void OnOpened(HostCircuit circuit, TimeSpan breakDuration, Outcome<HttpResponseMessage> outcome)
    {
        Counters.OnOpened();
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            var response = outcome.Exception is null ? outcome.Result : null;
            Log.Opened(_logger, circuit.Host, breakDuration.TotalMilliseconds, TransientOutcomes.Describe(response, outcome.Exception));
        }
    }

    internal void OnHalfOpened(HostCircuit circuit) => Log.HalfOpened(_logger, circuit.Host);

    internal void OnClosed(HostCircuit circuit) => Log.Closed(_logger, circuit.Host);

    private static partial class Log
    {
        [LoggerMessage(EventId = 601, Level = LogLevel.Warning, EventName = "CircuitOpened",
            Message = "Circuit for {Host} opened for {BreakMs:0} ms after {Reason}; calls to it fail at once until then")]
        public static partial void Opened(ILogger logger, string host, double breakMs, string reason);

        [LoggerMessage(EventId = 602, Level = LogLevel.Information, EventName = "CircuitHalfOpened",
            Message = "Circuit for {Host} half-open: letting one trial call through")]
        public static partial void HalfOpened(ILogger logger, string host);

        [LoggerMessage(EventId = 603, Level = LogLevel.Information, EventName = "CircuitClosed",
            Message = "Circuit for {Host} closed: calls flow again")]
        public static partial void Closed(ILogger logger, string host);
    }
}
