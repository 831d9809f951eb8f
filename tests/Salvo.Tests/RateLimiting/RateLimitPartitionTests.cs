using System.Net;
using Salvo.RateLimiting;

namespace Salvo.Tests.RateLimiting;

public class RateLimitPartitionTests
{
    [Fact]
    public async Task SendAsync_ByHost_EachHostAndPortHasItsOwnWindows()
    {
        var server = new AnswerAtOnce();
        using var kit = new RateLimitKit(RateLimitKit.Configured("1/1m"), server);

        await kit.SendAsync(RateLimitKit.Get("a", "one.test"));
        await kit.SendAsync(RateLimitKit.Get("a", "two.test"));
        await kit.SendAsync(RateLimitKit.Get("a", "two.test:8080"));
        var waiting = kit.SendAsync(RateLimitKit.Get("b", "one.test"));

        waiting.IsCompleted.ShouldBeFalse();
        kit.Limiter.Snapshot().Select(p => p.Partition).ShouldBe(["one.test", "two.test", "two.test:8080"], ignoreOrder: true);
        server.Count.ShouldBe(3);
    }

    [Fact]
    public async Task SendAsync_ByRoute_EachRouteTemplateHasItsOwnWindows()
    {
        var options = RateLimitKit.Configured("1/1m");
        options.Partition = RateLimitPartitioning.Route;
        options.RouteMatcher = r => r.RequestUri!.AbsolutePath.StartsWith("/summoners/", StringComparison.Ordinal) ? "summoners/{id}" : null;
        var server = new AnswerAtOnce();
        using var kit = new RateLimitKit(options, server);

        await kit.SendAsync(RateLimitKit.Get("matches/1", settings: new SalvoRequestSettings { RouteTemplate = "matches/{id}" }));
        await kit.SendAsync(RateLimitKit.Get("summoners/7"));
        await kit.SendAsync(RateLimitKit.Get("status"));
        var waiting = kit.SendAsync(RateLimitKit.Get("matches/2", settings: new SalvoRequestSettings { RouteTemplate = "matches/{id}" }));

        waiting.IsCompleted.ShouldBeFalse();
        kit.Limiter.Snapshot().Select(p => p.Partition).ShouldBe(["api.test matches/{id}", "api.test summoners/{id}", "api.test"], ignoreOrder: true);
    }

    [Fact]
    public async Task SendAsync_ByKey_EachKeyHasItsOwnWindowsWhateverTheHost()
    {
        var options = RateLimitKit.Configured("1/1m");
        options.Partition = RateLimitPartitioning.Key;
        var server = new AnswerAtOnce();
        using var kit = new RateLimitKit(options, server);
        var euw = new SalvoRequestSettings { RateLimitKey = "euw1" };

        await kit.SendAsync(RateLimitKit.Get("a", "euw1.api.test", euw));
        await kit.SendAsync(RateLimitKit.Get("a", "na1.api.test", new SalvoRequestSettings { RateLimitKey = "na1" }));
        await kit.SendAsync(RateLimitKit.Get("a", "api.test"));
        var waiting = kit.SendAsync(RateLimitKit.Get("b", "other.api.test", euw));

        waiting.IsCompleted.ShouldBeFalse("the key, not the host, names the partition");
        kit.Limiter.Snapshot().Select(p => p.Partition).ShouldBe(["euw1", "na1", "api.test"], ignoreOrder: true);
    }

    [Fact]
    public async Task SendAsync_MorePartitionsThanTheCap_NewKeysShareOverflowUntilOneIsIdle()
    {
        var options = RateLimitKit.Configured("5/1s");
        options.MaxPartitions = 2;
        using var kit = new RateLimitKit(options);
        var held = new[] { kit.SendAsync(RateLimitKit.Get("a", "a.test")), kit.SendAsync(RateLimitKit.Get("a", "b.test")) };
        var calls = new[] { await kit.Server.NextAsync(), await kit.Server.NextAsync() };

        var overflow = new[] { kit.SendAsync(RateLimitKit.Get("a", "c.test")), kit.SendAsync(RateLimitKit.Get("a", "d.test")) };
        (await kit.Server.NextAsync()).Respond();
        (await kit.Server.NextAsync()).Respond();
        await Task.WhenAll(overflow);
        kit.Limiter.Snapshot().Select(p => p.Partition).ShouldBe(["a.test", "b.test", "(overflow)"], ignoreOrder: true);
        kit.Logs.Lines.Count(l => l.StartsWith("Warning:804:", StringComparison.Ordinal)).ShouldBe(1, "said once, not per request");

        calls[0].Respond();
        await held[0];
        kit.Clock.Advance(TimeSpan.FromSeconds(1.1)); // a.test holds nothing now
        var fresh = kit.SendAsync(RateLimitKit.Get("a", "e.test"));
        (await kit.Server.NextAsync()).Respond();
        await fresh;

        kit.Limiter.Snapshot().Select(p => p.Partition).ShouldBe(["b.test", "e.test", "(overflow)"], ignoreOrder: true);
        calls[1].Respond();
        await held[1];
    }

    [Fact]
    public async Task SendAsync_MethodLimits_BusyRouteDoesNotBlockOtherRoutes()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        var matches = new SalvoRequestSettings { RouteTemplate = "matches/{id}" };
        var summoners = new SalvoRequestSettings { RouteTemplate = "summoners/{id}" };
        var first = kit.SendAsync(RateLimitKit.Get("matches/1", settings: matches));
        (await kit.Server.NextAsync()).Respond(RateHeaders.Concat(RateHeaders.Riot("100:1", "1:1"), RateHeaders.RiotMethod("1:10", "1:10")));
        await first;

        var blocked = kit.SendAsync(RateLimitKit.Get("matches/2", settings: matches));
        var other = kit.SendAsync(RateLimitKit.Get("summoners/1", settings: summoners));
        var probe = await kit.Server.NextAsync();
        probe.Path.ShouldBe("/summoners/1", "matches/{id} has used its 1 per 10 s; another route passes the waiting request");
        probe.Respond(RateHeaders.Concat(RateHeaders.Riot("100:1", "2:1"), RateHeaders.RiotMethod("5:10", "1:10")));
        await other;
        var more = kit.SendAsync(RateLimitKit.Get("summoners/2", settings: summoners));
        (await kit.Server.NextAsync()).Respond();
        await more;

        blocked.IsCompleted.ShouldBeFalse();
        kit.Partition.Windows.Where(w => w.Route is not null).Select(w => (w.Route, w.Limit)).ShouldBe(
            [("matches/{id}", 1), ("summoners/{id}", 5)], ignoreOrder: true);
        kit.Clock.Advance(TimeSpan.FromSeconds(10.5));
        (await kit.Server.NextAsync()).Path.ShouldBe("/matches/2");
    }

    [Fact]
    public async Task SendAsync_Method429_PausesOnlyThatRoute()
    {
        using var kit = new RateLimitKit(new RateLimitOptions());
        var matches = new SalvoRequestSettings { RouteTemplate = "matches/{id}" };
        await kit.LearnAsync(RateHeaders.Plenty);
        var limited = kit.SendAsync(RateLimitKit.Get("matches/1", settings: matches));
        (await kit.Server.NextAsync()).Respond(HttpStatusCode.TooManyRequests, RateHeaders.TooMany(5, "method"));
        await limited;

        var paused = kit.SendAsync(RateLimitKit.Get("matches/2", settings: matches));
        var free = kit.SendAsync("status");
        (await kit.Server.NextAsync()).Path.ShouldBe("/status");
        paused.IsCompleted.ShouldBeFalse();
        kit.Partition.PausedUntil.ShouldBeNull("the partition itself is not paused");
        kit.Clock.Advance(TimeSpan.FromSeconds(5.3));
        (await kit.Server.NextAsync()).Path.ShouldBe("/matches/2");
        _ = free;
    }
}
