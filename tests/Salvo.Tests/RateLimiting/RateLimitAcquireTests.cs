using System.Net;
using Salvo.RateLimiting;

namespace Salvo.Tests.RateLimiting;

public class RateLimitAcquireTests
{
    [Fact]
    public async Task SendAsync_OneWindowFull_CountsInNoWindowAndWaits()
    {
        var server = new AnswerAtOnce();
        using var kit = new RateLimitKit(RateLimitKit.Configured("2/1s,3/10s"), server);
        await kit.SendAsync("a");
        await kit.SendAsync("b");

        var c = kit.SendAsync("c");
        c.IsCompleted.ShouldBeFalse();
        Held(kit).ShouldBe([2, 2], "c is counted nowhere while one window is full");

        kit.Clock.Advance(TimeSpan.FromMilliseconds(999));
        c.IsCompleted.ShouldBeFalse();
        kit.Clock.Advance(TimeSpan.FromMilliseconds(2));
        (await c).StatusCode.ShouldBe(HttpStatusCode.OK);
        Held(kit).ShouldBe([1, 3]);

        var d = kit.SendAsync("d");
        Held(kit).ShouldBe([1, 3], "the 1 s window has room, but the 10 s window has none: d takes neither");
        kit.Clock.Advance(TimeSpan.FromSeconds(8.9));
        d.IsCompleted.ShouldBeFalse();
        kit.Clock.Advance(TimeSpan.FromSeconds(0.2));
        await d;
        server.Paths.ShouldBe(["/a", "/b", "/c", "/d"]);
    }

    [Fact]
    public async Task SendAsync_RequestsInFlight_CountUntilAnsweredThenForAWindow()
    {
        using var kit = new RateLimitKit(RateLimitKit.Configured("2/1s"));
        var a = kit.SendAsync("a");
        var b = kit.SendAsync("b");
        var first = await kit.Server.NextAsync();
        var second = await kit.Server.NextAsync();
        var c = kit.SendAsync("c");

        kit.Clock.Advance(TimeSpan.FromSeconds(5));
        kit.Server.Arrived.ShouldBe(2, "requests in flight hold their permits however long they take");
        kit.Partition.InFlight.ShouldBe(2);

        first.Respond();
        await a;
        kit.Clock.Advance(TimeSpan.FromMilliseconds(999));
        kit.Server.Arrived.ShouldBe(2, "an answered request stays counted for one window after its answer");
        kit.Clock.Advance(TimeSpan.FromMilliseconds(20));
        (await kit.Server.NextAsync()).Respond();
        second.Respond();
        await Task.WhenAll(b, c);
    }

    [Fact]
    public async Task SendAsync_Share_UsesOnlyItsFractionOfEveryLimit()
    {
        using var kit = new RateLimitKit(new RateLimitOptions { Share = 0.5 });
        await kit.LearnAsync(RateHeaders.Riot("10:1", "1:1"));

        kit.Partition.Windows.Single().OwnLimit.ShouldBe(5);
        var calls = Enumerable.Range(0, 6).Select(i => kit.SendAsync($"r{i}")).ToArray();
        for (var i = 0; i < 4; i++)
            (await kit.Server.NextAsync()).Respond(RateHeaders.Riot("10:1", $"{i + 2}:1"));
        await Task.WhenAll(calls.Take(4));

        kit.Server.Arrived.ShouldBe(5, "half of ten, the probe among them");
        kit.Partition.Waiting.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_ShareWithOthersReported_NeverExceedsWhatTheServerHasLeft()
    {
        using var kit = new RateLimitKit(new RateLimitOptions { Share = 0.5 });
        await kit.LearnAsync(RateHeaders.Riot("10:1", "8:1")); // the other program used more than its half

        kit.Partition.Remaining.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_ConfiguredShare_RoundsDownButKeepsOne()
    {
        using var kit = new RateLimitKit(new RateLimitOptions { Limits = "3/1s,1/1m", LearnFromHeaders = false, Share = 0.4 }, new AnswerAtOnce());

        kit.Limiter.Snapshot().ShouldBeEmpty();
        await kit.SendAsync("a");
        kit.Partition.Windows.Select(w => w.OwnLimit).ShouldBe([1, 1]);
    }

    private static int[] Held(RateLimitKit kit) => [.. kit.Partition.Windows.Select(w => w.Held)];
}
