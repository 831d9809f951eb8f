using Microsoft.Extensions.Logging;

namespace Salvo.ConcurrencyLimiting;

public sealed partial class ConcurrencyLimitHandler
{
    // Event ids 900-999 belong to the concurrency limiter (its pipeline stage is 900).
    private static partial class Log
    {
        [LoggerMessage(EventId = 901, Level = LogLevel.Debug, EventName = "ConcurrencyThrottled",
            Message = "{Method} {Url} held back by the concurrency limit for {Partition}: {Why}")]
        public static partial void Throttled(ILogger logger, string method, string? url, string partition, string why);

        [LoggerMessage(EventId = 902, Level = LogLevel.Debug, EventName = "ConcurrencyLimitDecreased",
            Message = "Concurrency limit for {Partition} lowered from {Before} to {After} after an overload signal")]
        public static partial void LimitDecreased(ILogger logger, string partition, int before, int after);
    }
}
