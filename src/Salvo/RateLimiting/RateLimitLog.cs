using Microsoft.Extensions.Logging;

namespace Salvo.RateLimiting;

/// <summary>The rate limiter's log messages, with stable event ids.</summary>
/// <remarks>Event ids 800-899 belong to the rate limiter (its pipeline stage is 800).</remarks>
internal static partial class RateLimitLog
{
    [LoggerMessage(EventId = 801, Level = LogLevel.Information, EventName = "RateLimitLearned",
        Message = "Rate limit for '{Partition}' learned from {Source}: {Limit} per {Window}")]
    public static partial void Learned(ILogger logger, string partition, RateLimitWindowSource source, int limit, string window);

    [LoggerMessage(EventId = 802, Level = LogLevel.Warning, EventName = "RateLimitPaused",
        Message = "'{Partition}' paused for {PauseMs:0} ms: the server answered 429 ({LimitType})")]
    public static partial void Paused(ILogger logger, string partition, double pauseMs, string limitType);

    [LoggerMessage(EventId = 803, Level = LogLevel.Debug, EventName = "RateLimitServiceThrottled",
        Message = "'{Partition}' answered 429 for backend load ({LimitType}); the partition is not paused")]
    public static partial void ServiceThrottled(ILogger logger, string partition, string limitType);

    [LoggerMessage(EventId = 804, Level = LogLevel.Warning, EventName = "RateLimitPartitionsFull",
        Message = "{MaxPartitions} rate-limit partitions are in use and none is idle; new keys share the '(overflow)' partition")]
    public static partial void PartitionsFull(ILogger logger, int maxPartitions);

    [LoggerMessage(EventId = 805, Level = LogLevel.Debug, EventName = "RateLimitThrottled",
        Message = "{Method} {Url} held back by the rate limit for '{Partition}' ({Reason}); room expected in {RetryAfterMs:0} ms")]
    public static partial void Throttled(ILogger logger, string method, string? url, string partition, ThrottleReason reason, double retryAfterMs);
}
