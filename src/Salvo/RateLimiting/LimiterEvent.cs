using Microsoft.Extensions.Logging;

namespace Salvo.RateLimiting;

/// <summary>Something worth a log line, noted under a partition's lock and written after it is released.</summary>
internal readonly record struct LimiterEvent(LimiterEventKind Kind, string? Route, RateLimitWindowSource Source, int Limit, TimeSpan Window, TimeSpan Pause, RateLimitType Type)
{
    public static LimiterEvent Learned(string? route, LimitWindow window) =>
        new(LimiterEventKind.Learned, route, window.Source, window.Limit, window.Length, default, default);

    public static LimiterEvent Paused(string? route, TimeSpan pause, RateLimitType type) =>
        new(LimiterEventKind.Paused, route, default, 0, default, pause, type);

    public static LimiterEvent Service(RateLimitType type) => new(LimiterEventKind.Service, null, default, 0, default, default, type);

    public static void Write(List<LimiterEvent> events, string partition, ILogger logger)
    {
        foreach (var e in events)
        {
            var where = e.Route is null ? partition : $"{partition} {e.Route}";
            switch (e.Kind)
            {
                case LimiterEventKind.Learned when logger.IsEnabled(LogLevel.Information):
                    RateLimitLog.Learned(logger, where, e.Source, e.Limit, e.Window == TimeSpan.Zero ? "window (until its reset)" : RateLimitWindow.FormatDuration(e.Window));
                    break;
                case LimiterEventKind.Paused when logger.IsEnabled(LogLevel.Warning):
                    RateLimitLog.Paused(logger, where, e.Pause.TotalMilliseconds, TypeText(e.Type));
                    break;
                case LimiterEventKind.Service when logger.IsEnabled(LogLevel.Debug):
                    RateLimitLog.ServiceThrottled(logger, where, TypeText(e.Type));
                    break;
            }
        }
    }

    private static string TypeText(RateLimitType type) => type switch
    {
        RateLimitType.Application => "application",
        RateLimitType.Method => "method",
        RateLimitType.Service => "service",
        RateLimitType.Other => "other",
        _ => "no type",
    };
}

/// <summary>The kinds of <see cref="LimiterEvent"/>.</summary>
internal enum LimiterEventKind
{
    Learned = 0,
    Paused = 1,
    Service = 2,
}
