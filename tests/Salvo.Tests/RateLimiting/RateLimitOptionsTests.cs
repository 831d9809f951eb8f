using Microsoft.Extensions.Options;
using Salvo.RateLimiting;

namespace Salvo.Tests.RateLimiting;

public class RateLimitOptionsTests
{
    [Fact]
    public void Defaults_AreDocumentedConstantsAndValid()
    {
        var options = new RateLimitOptions();

        options.Share.ShouldBe(RateLimitOptions.DefaultShare);
        options.MaxPartitions.ShouldBe(RateLimitOptions.DefaultMaxPartitions);
        options.PauseMargin.ShouldBe(RateLimitOptions.DefaultPauseMargin);
        options.LearnFromHeaders.ShouldBeTrue();
        options.Mode.ShouldBe(RateLimitMode.Wait);
        options.Partition.ShouldBe(RateLimitPartitioning.Host);
        RateLimitOptionsValidator.Instance.Validate(null, options).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Validate_EveryProblem_IsListed()
    {
        var options = new RateLimitOptions
        {
            Limits = "20/1s,lots",
            Share = 1.5,
            PauseMargin = TimeSpan.FromMilliseconds(-1),
            MaxPartitions = 0,
            Partition = (RateLimitPartitioning)9,
            Mode = (RateLimitMode)9,
        };

        var failures = RateLimitOptionsValidator.Instance.Validate(null, options).Failures!.ToList();

        failures.Count.ShouldBe(6);
        failures.ShouldContain(f => f.Contains("'lots'"));
        failures.ShouldContain(f => f.StartsWith("Share", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("PauseMargin", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("MaxPartitions", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void Validate_ShareOutOfRange_Fails(double share) =>
        RateLimitOptionsValidator.Instance.Validate(null, new RateLimitOptions { Share = share }).Failed.ShouldBeTrue();

    [Fact]
    public void Validate_NothingToLimit_FailsUnlessALimiterIsGiven()
    {
        RateLimitOptionsValidator.Instance.Validate(null, new RateLimitOptions { LearnFromHeaders = false }).Failed.ShouldBeTrue();
        using var limiter = new SalvoRateLimiter(new RateLimitOptions());
        RateLimitOptionsValidator.Instance.Validate(null, new RateLimitOptions { LearnFromHeaders = false, Limiter = limiter }).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public async Task Handler_Disabled_PassesEveryCallThroughWithoutProbing()
    {
        var options = new RateLimitOptions { Enabled = false, LearnFromHeaders = false };
        RateLimitOptionsValidator.Instance.Validate(null, options).Succeeded.ShouldBeTrue("nothing to limit is fine when switched off");
        using var kit = new RateLimitKit(options);

        var calls = Enumerable.Range(0, 3).Select(i => kit.SendAsync($"r{i}")).ToArray();
        for (var i = 0; i < 3; i++)
            (await kit.Server.NextAsync()).Respond(System.Net.HttpStatusCode.TooManyRequests, RateHeaders.TooMany(60));
        await Task.WhenAll(calls);

        kit.Handler.Limiter.ShouldBeNull();
        kit.Server.Arrived.ShouldBe(3);
    }

    [Fact]
    public void Constructors_InvalidOptions_ThrowListingTheProblem()
    {
        Should.Throw<OptionsValidationException>(() => new RateLimitHandler(new RateLimitOptions { Limits = "x" })).Message.ShouldContain("'x'");
        Should.Throw<OptionsValidationException>(() => new SalvoRateLimiter(new RateLimitOptions { MaxPartitions = 0 }));
    }
}
