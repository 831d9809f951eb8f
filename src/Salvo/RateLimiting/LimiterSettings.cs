using Microsoft.Extensions.Logging;

namespace Salvo.RateLimiting;

/// <summary>What a <see cref="SalvoRateLimiter"/> was created with, read once from <see cref="RateLimitOptions"/>.</summary>
internal sealed class LimiterSettings
{
    public LimiterSettings(RateLimitOptions options, TimeProvider timeProvider, ILogger logger)
    {
        Configured = string.IsNullOrWhiteSpace(options.Limits) ? [] : RateLimitWindow.ParseMany(options.Limits);
        Learn = options.LearnFromHeaders;
        Partitioning = options.Partition;
        RouteMatcher = options.RouteMatcher;
        Share = options.Share;
        Mode = options.Mode;
        PauseMargin = options.PauseMargin;
        MaxPartitions = options.MaxPartitions;
        TimeProvider = timeProvider;
        Frequency = timeProvider.TimestampFrequency;
        Logger = logger;
    }

    public IReadOnlyList<RateLimitWindow> Configured { get; }

    public bool Learn { get; }

    public RateLimitPartitioning Partitioning { get; }

    public Func<HttpRequestMessage, string?>? RouteMatcher { get; }

    public double Share { get; }

    public RateLimitMode Mode { get; }

    public TimeSpan PauseMargin { get; }

    public int MaxPartitions { get; }

    public TimeProvider TimeProvider { get; }

    public long Frequency { get; }

    public ILogger Logger { get; }

    public RateLimitCounters Counters { get; } = new();

    public LimitWindow[] CreateConfiguredWindows()
    {
        var windows = new LimitWindow[Configured.Count];
        for (var i = 0; i < windows.Length; i++)
            windows[i] = new LimitWindow(RateLimitWindowSource.Configured, Configured[i].Limit, Share, Configured[i].Window, Frequency, 0);
        return windows;
    }
}
