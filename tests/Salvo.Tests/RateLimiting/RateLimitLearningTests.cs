using System.Net;
using Salvo.RateLimiting;

namespace Salvo.Tests.RateLimiting;

public class RateLimitLearningTests
{
    [Fact]
    public async Task SendAsync_LimitsUnknown_SendsOneProbeAtATimeUntilAnswered()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        var calls = Enumerable.Range(0, 4).Select(i => kit.SendAsync($"r{i}")).ToArray();

        var probe = await kit.Server.NextAsync();
        kit.Server.Arrived.ShouldBe(1);
        kit.Partition.LimitsKnown.ShouldBeFalse();
        kit.Partition.Waiting.ShouldBe(3);

        probe.Respond(RateHeaders.Plenty);
        for (var i = 0; i < 3; i++)
            (await kit.Server.NextAsync()).Respond(RateHeaders.Plenty);
        await Task.WhenAll(calls);
        kit.Partition.LimitsKnown.ShouldBeTrue();
        kit.Limiter.Counters.Waited.ShouldBe(3);
    }

    [Fact]
    public async Task SendAsync_ProbeFails_NextRequestProbes()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        var first = kit.SendAsync("a");
        var second = kit.SendAsync("b");
        (await kit.Server.NextAsync()).Fail(new HttpRequestException("connection refused"));
        await Should.ThrowAsync<HttpRequestException>(first);

        var next = await kit.Server.NextAsync();
        next.Path.ShouldBe("/b");
        var third = kit.SendAsync("c");
        kit.Server.Arrived.ShouldBe(2, "a failed probe taught nothing: still one at a time");
        next.Respond();
        (await kit.Server.NextAsync()).Respond();
        await Task.WhenAll(second, third);
        kit.Partition.LimitsKnown.ShouldBeTrue();
        kit.Partition.Windows.ShouldBeEmpty("an answer without headers teaches that there is nothing to learn");
    }

    [Fact]
    public async Task Learn_OneLimitReportedByThreeFamilies_IsOneWindow()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        var reset = kit.Clock.GetUtcNow().AddSeconds(1).ToUnixTimeSeconds();

        await kit.LearnAsync(RateHeaders.Concat(
            RateHeaders.GitHub(20, 19, reset),
            RateHeaders.Ietf("\"w1\";q=20;w=1, \"w2\";q=100;w=120", "\"w1\";r=19;t=1"),
            RateHeaders.Riot("20:1,100:120", "1:1,1:120")));

        kit.Partition.Windows.Select(w => (w.Limit, w.Window)).ShouldBe(
            [(20, TimeSpan.FromSeconds(1)), (100, TimeSpan.FromSeconds(120))], ignoreOrder: true);
    }

    [Fact]
    public async Task Learn_GitHubAlone_KeepsAWindowUntilItsReset()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        await kit.LearnAsync(RateHeaders.GitHub(3, 1, 30));

        var window = kit.Partition.Windows.Single();
        window.Source.ShouldBe(RateLimitWindowSource.GitHub);
        window.Window.ShouldBeNull();
        window.Remaining.ShouldBe(1, "the server counts 2 used, the probe among them");
        window.ResetAfter.ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Learn_ServerCountsBeyondOwn_SeedUsageAsOthers()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        await kit.LearnAsync(RateHeaders.Riot("10:1", "8:1")); // another program (or a previous run) used 7

        var window = kit.Partition.Windows.Single();
        window.Remaining.ShouldBe(2);
        window.Held.ShouldBe(1, "the probe that taught the window");
        window.HeldByOthers.ShouldBe(7);
        var calls = Enumerable.Range(0, 3).Select(i => kit.SendAsync($"r{i}")).ToArray();
        await kit.Server.NextAsync();
        await kit.Server.NextAsync();
        kit.Server.Arrived.ShouldBe(3, "the probe and two more");
        kit.Partition.Waiting.ShouldBe(1);
        calls[2].IsCompleted.ShouldBeFalse();
    }

    [Fact]
    public async Task Learn_LowerCountLater_NeverIncreasesBelievedBudget()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        await kit.LearnAsync(RateHeaders.Riot("10:1", "8:1"));
        var call = kit.SendAsync("a");
        (await kit.Server.NextAsync()).Respond(RateHeaders.Riot("10:1", "2:1")); // stale, or a server replica behind
        await call;

        var window = kit.Partition.Windows.Single();
        (window.Held + window.HeldByOthers).ShouldBeGreaterThanOrEqualTo(9, "8 reported, plus our request sent since");
        window.Remaining.ShouldBeLessThanOrEqualTo(1);
    }

    [Fact]
    public async Task Learn_CountReportedWhileOwnRequestsInFlight_BelievesNoMoreThanTheServerHasLeft()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        await kit.LearnAsync(RateHeaders.Riot("10:1", "1:1"));
        var calls = Enumerable.Range(0, 4).Select(i => kit.SendAsync($"r{i}")).ToArray();
        var first = await kit.Server.NextAsync();
        for (var i = 0; i < 3; i++)
            await kit.Server.NextAsync();

        // The server counted 6: the probe, ours, and 4 more (ours still in flight, or another program's).
        first.Respond(RateHeaders.Riot("10:1", "6:1"));
        await calls[0];

        var window = kit.Partition.Windows.Single();
        window.Remaining.ShouldBe(4, "the server said 4 are left; our 3 in flight are taken to be among the 6 it counted");
        (window.Held + window.HeldByOthers).ShouldBe(6);
    }

    [Fact]
    public async Task Learn_ConfiguredAndLearnedLimits_TheTighterApplies()
    {
        using var kit = new RateLimitKit(new RateLimitOptions { Limits = "5/1s" });
        await kit.LearnAsync(RateHeaders.Riot("3:1", "1:1"));

        kit.Partition.Windows.Select(w => (w.Source, w.Limit)).ShouldBe(
            [(RateLimitWindowSource.Configured, 5), (RateLimitWindowSource.RiotApplication, 3)]);
        kit.Partition.Remaining.ShouldBe(2);
    }

    [Fact]
    public async Task Learn_LimitChanges_NewLimitApplies()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        await kit.LearnAsync(RateHeaders.Riot("10:1", "1:1"));
        var call = kit.SendAsync("a");
        (await kit.Server.NextAsync()).Respond(RateHeaders.Riot("4:1", "2:1"));
        await call;

        kit.Partition.Windows.Single().Limit.ShouldBe(4);
        kit.Partition.Remaining.ShouldBe(2);
        kit.Logs.Lines.Count(l => l.Contains("learned from RiotApplication: 4 per 1s", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task Learn_NotLearning_ConfiguredOnlyAndNoProbe()
    {
        using var kit = new RateLimitKit(RateLimitKit.Configured("5/1s"));
        var calls = Enumerable.Range(0, 3).Select(i => kit.SendAsync($"r{i}")).ToArray();
        for (var i = 0; i < 3; i++)
            (await kit.Server.NextAsync()).Respond(RateHeaders.Riot("1:1", "1:1"));
        await Task.WhenAll(calls);

        kit.Partition.Windows.Select(w => w.Source).ShouldBe([RateLimitWindowSource.Configured]);
        kit.Partition.Remaining.ShouldBe(2);
        calls.ShouldAllBe(c => c.Result.StatusCode == HttpStatusCode.OK);
    }
}
