namespace Salvo.Sandbox.Hosting;

/// <summary>Checks <see cref="SandboxOptions"/> once at start, so a typo fails loudly instead of on the first request.</summary>
internal static class SandboxOptionsValidator
{
    private const int MaxPort = 65_535;

    public static void Validate(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.Latency, nameof(SandboxOptions.Latency));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(SandboxOptions.TimeProvider));
        ArgumentException.ThrowIfNullOrEmpty(options.ClientId, nameof(SandboxOptions.ClientId));
        ArgumentNullException.ThrowIfNull(options.ClientSecret, nameof(SandboxOptions.ClientSecret));
        if (options.Capacity is { } capacity)
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(capacity, 0, nameof(SandboxOptions.Capacity));
        Rate(options.FaultRate, nameof(SandboxOptions.FaultRate));
        Rate(options.ResetRate, nameof(SandboxOptions.ResetRate));
        Rate(options.HangRate, nameof(SandboxOptions.HangRate));
        Rate(options.SlowRate, nameof(SandboxOptions.SlowRate));
        Rate(options.ServiceLimitRate, nameof(SandboxOptions.ServiceLimitRate));
        if ((options.RateLimitHeaders & ~SandboxRateLimitHeaders.All) != 0)
            throw new ArgumentOutOfRangeException(nameof(SandboxOptions.RateLimitHeaders), options.RateLimitHeaders, "Not a combination of GitHub, Ietf and Riot.");
        if (!(options.SlowFactor >= 1))
            throw new ArgumentOutOfRangeException(nameof(SandboxOptions.SlowFactor), options.SlowFactor, "A slow request takes at least as long as a normal one.");
        if (options.BurstInterval is { } burstInterval)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(burstInterval, TimeSpan.Zero, nameof(SandboxOptions.BurstInterval));
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.BurstLength, TimeSpan.Zero, nameof(SandboxOptions.BurstLength));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(options.BurstLength, burstInterval, nameof(SandboxOptions.BurstLength));
        }
        if (options.TokenLifetime is { } lifetime)
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero, nameof(SandboxOptions.TokenLifetime));
        if (options.RefreshTokenLifetime is { } refreshLifetime)
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(refreshLifetime, TimeSpan.Zero, nameof(SandboxOptions.RefreshTokenLifetime));
        if (options.TokenEndpointFailure is { } failure && failure is < 400 or > 599)
            throw new ArgumentOutOfRangeException(nameof(SandboxOptions.TokenEndpointFailure), failure, "A failing token endpoint answers 400 to 599.");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ConnectionLatency, TimeSpan.Zero, nameof(SandboxOptions.ConnectionLatency));
        Port(options.Port, nameof(SandboxOptions.Port));
        Port(options.HttpsPort, nameof(SandboxOptions.HttpsPort));
        ArgumentOutOfRangeException.ThrowIfNegative(options.GameCount, nameof(SandboxOptions.GameCount));
        ArgumentOutOfRangeException.ThrowIfNegative(options.EventCount, nameof(SandboxOptions.EventCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.FeedInterval, TimeSpan.FromMilliseconds(1), nameof(SandboxOptions.FeedInterval));
        if (options.RateLimits is { } limits)
            _ = SandboxRateLimit.ParseMany(limits);
    }

    private static void Rate(double value, string name)
    {
        if (!(value is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(name, value, "A rate is a share from 0 to 1.");
    }

    private static void Port(int value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxPort, name);
    }
}
