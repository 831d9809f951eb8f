using System.Net;
using Salvo.RateLimiting;

namespace Salvo.Tests.RateLimiting;

public class RateLimitPauseTests
{
    [Fact]
    public async Task SendAsync_Quota429_PausesForRetryAfterPlusMarginThenProbesAgain()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        await kit.LearnAsync(RateHeaders.Plenty);
        var limited = kit.SendAsync("limited");
        (await kit.Server.NextAsync()).Respond(HttpStatusCode.TooManyRequests, RateHeaders.TooMany(2, "application"));

        (await limited).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "the server's 429 passes up as it came");
        kit.Partition.PausedUntil!.Value.ShouldBe(kit.Clock.GetUtcNow() + TimeSpan.FromSeconds(2.1), TimeSpan.FromMilliseconds(1));
        kit.Partition.LimitsKnown.ShouldBeFalse();
        var after = new[] { kit.SendAsync("x"), kit.SendAsync("y") };
        kit.Clock.Advance(TimeSpan.FromMilliseconds(2090));
        kit.Server.Arrived.ShouldBe(2);

        kit.Clock.Advance(TimeSpan.FromMilliseconds(20));
        var probe = await kit.Server.NextAsync();
        probe.Path.ShouldBe("/x");
        kit.Server.Arrived.ShouldBe(3, "one probe re-learns the limits before the rest go");
        probe.Respond(RateHeaders.Plenty);
        (await kit.Server.NextAsync()).Respond(RateHeaders.Plenty);
        await Task.WhenAll(after);
        kit.Limiter.Counters.Paused.ShouldBe(1);
        kit.Logs.Lines.ShouldContain(l => l.StartsWith("Warning:802:", StringComparison.Ordinal) && l.Contains("2100 ms"));
    }

    [Fact]
    public async Task SendAsync_LongRetryAfter_MarginIsFivePercent()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        await kit.LearnAsync(RateHeaders.Plenty);
        var limited = kit.SendAsync("limited");
        (await kit.Server.NextAsync()).Respond(HttpStatusCode.TooManyRequests, RateHeaders.TooMany(60));
        await limited;

        kit.Partition.PausedUntil!.Value.ShouldBe(kit.Clock.GetUtcNow() + TimeSpan.FromSeconds(63), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task SendAsync_PausedLongerThanBudget_ThrowsServerPause()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        await kit.LearnAsync(RateHeaders.Plenty);
        var limited = kit.SendAsync("limited");
        (await kit.Server.NextAsync()).Respond(HttpStatusCode.TooManyRequests, RateHeaders.TooMany(10, "application"));
        await limited;

        var ex = await Should.ThrowAsync<SalvoThrottledException>(kit.SendWithBudgetAsync("x", TimeSpan.FromSeconds(5)));

        ex.Reason.ShouldBe(ThrottleReason.ServerPause);
        ex.RetryAfter!.Value.ShouldBe(TimeSpan.FromSeconds(10.5), TimeSpan.FromMilliseconds(1));
        kit.Server.Arrived.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_Service429_DoesNotPause()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        await kit.LearnAsync(RateHeaders.Plenty);
        var overloaded = kit.SendAsync("overloaded");
        (await kit.Server.NextAsync()).Respond(HttpStatusCode.TooManyRequests, RateHeaders.TooMany(5, "service"));
        (await overloaded).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        var next = kit.SendAsync("next");
        (await kit.Server.NextAsync()).Respond();
        await next;
        kit.Partition.PausedUntil.ShouldBeNull();
        kit.Partition.LimitsKnown.ShouldBeTrue();
        kit.Limiter.Counters.Paused.ShouldBe(0);
        kit.Limiter.Counters.ServiceThrottled.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_429WithoutAnyRateLimitInformation_IsLoadAndDoesNotPause()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        await kit.LearnAsync(RateHeaders.Plenty);
        var bare = kit.SendAsync("bare");
        (await kit.Server.NextAsync()).Respond(HttpStatusCode.TooManyRequests);
        await bare;

        kit.Partition.PausedUntil.ShouldBeNull();
        kit.Limiter.Counters.ServiceThrottled.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_429NotLearning_StillPauses()
    {
        using var kit = new RateLimitKit(RateLimitKit.Configured("100/1s"));
        var limited = kit.SendAsync("limited");
        (await kit.Server.NextAsync()).Respond(HttpStatusCode.TooManyRequests, RateHeaders.TooMany(1));
        await limited;

        var next = kit.SendAsync("next");
        kit.Clock.Advance(TimeSpan.FromMilliseconds(1090));
        kit.Server.Arrived.ShouldBe(1);
        kit.Clock.Advance(TimeSpan.FromMilliseconds(20));
        (await kit.Server.NextAsync()).Respond();
        await next;
    }

    [Fact]
    public async Task SendAsync_AnswerSentBeforeThePause_DoesNotEndTheNewProbe()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        await kit.LearnAsync(RateHeaders.Plenty);
        var early = kit.SendAsync("early");
        var limited = kit.SendAsync("limited");
        var earlyCall = await kit.Server.NextAsync();
        (await kit.Server.NextAsync()).Respond(HttpStatusCode.TooManyRequests, RateHeaders.TooMany(1, "application"));
        await limited;
        kit.Clock.Advance(TimeSpan.FromSeconds(1.2));
        var probe = kit.SendAsync("probe");
        var probeCall = await kit.Server.NextAsync();
        var afterProbe = kit.SendAsync("after");

        earlyCall.Respond(RateHeaders.Plenty); // answers a request sent before the pause: it teaches nothing new
        await early;
        kit.Partition.LimitsKnown.ShouldBeFalse();
        kit.Server.Arrived.ShouldBe(4, "the first probe, early, limited and the new probe: not the request behind it");
        probeCall.Respond(RateHeaders.Plenty);
        (await kit.Server.NextAsync()).Respond();
        await Task.WhenAll(probe, afterProbe);
    }
}
