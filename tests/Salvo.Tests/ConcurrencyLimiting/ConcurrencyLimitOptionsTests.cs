using System.Threading.RateLimiting;
using Salvo.ConcurrencyLimiting;

namespace Salvo.Tests.ConcurrencyLimiting;

public class ConcurrencyLimitOptionsTests
{
    [Fact]
    public void Defaults_AreValidAndOff()
    {
        var options = new ConcurrencyLimitOptions();

        ConcurrencyLimitOptionsValidator.Instance.Validate(null, options).Succeeded.ShouldBeTrue();
        options.Mode.ShouldBe(ConcurrencyLimitMode.Off);
        options.PartitionByHost.ShouldBeTrue();
        options.MaxQueue.ShouldBeNull();
        (options.MinLimit, options.InitialLimit, options.MaxLimit, options.Limit).ShouldBe((4, 20, 256, 64));
    }

    [Fact]
    public void Defaults_AdaptiveOnly_IsValid() =>
        ConcurrencyLimitOptionsValidator.Instance.Validate(null, new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Adaptive }).Succeeded.ShouldBeTrue();

    [Theory]
    [InlineData("Limit")]
    [InlineData("MinLimit")]
    [InlineData("MaxLimit")]
    [InlineData("InitialLimit")]
    [InlineData("MaxQueue")]
    [InlineData("Mode")]
    [InlineData("Adaptive.Tolerance")]
    [InlineData("Adaptive.Smoothing")]
    [InlineData("Adaptive.BackoffRatio")]
    [InlineData("Adaptive.SampleCount")]
    [InlineData("Adaptive.MinRttWindow")]
    [InlineData("Adaptive.ProbeInterval")]
    public void Validate_OutOfRange_NamesTheSetting(string setting)
    {
        var options = new ConcurrencyLimitOptions();
        switch (setting)
        {
            case "Limit": options.Limit = 0; break;
            case "MinLimit": options.MinLimit = 0; options.InitialLimit = 0; break;
            case "MaxLimit": options.MaxLimit = 3; break;
            case "InitialLimit": options.InitialLimit = 300; break;
            case "MaxQueue": options.MaxQueue = -1; break;
            case "Mode": options.Mode = (ConcurrencyLimitMode)7; break;
            case "Adaptive.Tolerance": options.Adaptive.Tolerance = 0.9; break;
            case "Adaptive.Smoothing": options.Adaptive.Smoothing = 0; break;
            case "Adaptive.BackoffRatio": options.Adaptive.BackoffRatio = 1; break;
            case "Adaptive.SampleCount": options.Adaptive.SampleCount = 0; break;
            case "Adaptive.MinRttWindow": options.Adaptive.MinRttWindow = TimeSpan.FromSeconds(10); break;
            case "Adaptive.ProbeInterval": options.Adaptive.ProbeInterval = TimeSpan.Zero; break;
        }

        var result = ConcurrencyLimitOptionsValidator.Instance.Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldContain(f => f.StartsWith(setting + " ", StringComparison.Ordinal) || f.Contains(setting + " (", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AdaptiveWithPlainRateLimiter_Fails()
    {
        using var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 5, QueueLimit = 0 });
        var options = new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Adaptive, Limiter = limiter };

        var result = ConcurrencyLimitOptionsValidator.Instance.Validate(null, options);

        result.Failures.ShouldHaveSingleItem().ShouldContain("AdaptiveConcurrencyLimiter");
    }

    [Fact]
    public void Validate_NoProbes_AllowsAnyWindow()
    {
        var options = new ConcurrencyLimitOptions();
        options.Adaptive.ProbeInterval = Timeout.InfiniteTimeSpan;
        options.Adaptive.MinRttWindow = TimeSpan.FromSeconds(1);

        ConcurrencyLimitOptionsValidator.Instance.Validate(null, options).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Handler_ReadsOptionsOnce()
    {
        var options = new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Fixed, Limit = 3 };
        using var handler = new ConcurrencyLimitHandler(options) { InnerHandler = new HeldTransport() };

        options.Limit = 50;
        options.Adaptive.Tolerance = 0.1;

        handler.Partitions!.For(LimiterTestKit.Get("x")).Limit.ShouldBe(3);
    }
}
