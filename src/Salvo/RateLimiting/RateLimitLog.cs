using Microsoft.Extensions.Logging;

namespace Salvo.RateLimiting;

/// <summary>The rate limiter's log messages, with stable event ids.</summary>
internal static partial class RateLimitLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, EventName = "RateLimitLearned",
        Message = "Rate limit for '{Partition}' learned from {Source}: {Limit} per {Window}")]
    public static partial void Learned(ILogger logger, string partition, RateLimitWindowSource source, int limit, string window);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, EventName = "RateLimitPaused",
        Message = "'{Partition}' paused for {PauseMs:0} ms: the server answered 429 ({LimitType})")]
    public static partial void Paused(ILogger logger, string partition, double pauseMs, string limitType);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, EventName = "RateLimitServiceThrottled",
        Message = "'{Partition}' answered 429 for backend load ({LimitType}); the partition is not paused")]
    public static partial void ServiceThrottled(ILogger logger, string partition, string limitType);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, EventName = "RateLimitPartitionsFull",
        Message = "{MaxPartitions} rate-limit partitions are in use and none is idle; new keys share the '(overflow)' partition")]
    public static partial void PartitionsFull(ILogger logger, int maxPartitions);
}
