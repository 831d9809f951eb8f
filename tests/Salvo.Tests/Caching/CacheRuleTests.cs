using System.Net;
using Salvo.Caching;
using Salvo.Tests.Support;

namespace Salvo.Tests.Caching;

/// <summary>Per-route lifetimes on a fake clock: the seeds' two-line configuration, patterns, expiry.</summary>
public class CacheRuleTests
{
    private static readonly TimeSpan Hair = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task SeedsConfiguration_GamesFiveMinutesBalanceTenSeconds_EachExpiresOnItsOwnClock()
    {
        var origin = new CacheTestOrigin();
        var options = new SalvoClientOptions { BaseAddress = CacheTestOrigin.Base, TimeProvider = origin.Clock };
        options.Cache.Add("casino/games*", TimeSpan.FromMinutes(5));
        options.Cache.Add("user/balance", TimeSpan.FromSeconds(10));
        await using var client = new SalvoClient(origin, options);

        (await client.GetStringAsync("casino/games")).ShouldBe("body 1");
        (await client.GetStringAsync("user/balance")).ShouldBe("body 2");
        origin.Clock.Advance(TimeSpan.FromSeconds(10) - Hair);
        (await client.GetStringAsync("casino/games")).ShouldBe("body 1");
        (await client.GetStringAsync("user/balance")).ShouldBe("body 2", "still inside its 10 s");
        origin.Clock.Advance(Hair * 2);
        (await client.GetStringAsync("user/balance")).ShouldBe("body 3", "10 s are over");
        (await client.GetStringAsync("casino/games?category=slots")).ShouldBe("body 4", "another key under the same rule");
        origin.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(10));
        (await client.GetStringAsync("casino/games")).ShouldBe("body 5", "5 minutes are over");

        origin.Calls.ShouldBe(5);
        client.Cache!.Counters.Hits.ShouldBe(2);
        client.Cache.Counters.Misses.ShouldBe(5);
    }

    [Fact]
    public async Task NoRuleNoHeaders_NothingStored()
    {
        var origin = new CacheTestOrigin();
        var (http, cache) = origin.Client(new CacheOptions { Enabled = true });

        await http.BodyAsync("user/balance");
        (await http.BodyAsync("user/balance")).ShouldBe("body 2");
        cache.Counters.Stored.ShouldBe(0);
    }

    [Theory]
    [InlineData("casino/games*", "casino/games/g-1?x=1", true)]
    [InlineData("casino/games*", "casino/gamesX", true)]
    [InlineData("casino/games*", "user/casino/games", false)]
    [InlineData("matches/{id}", "matches/42", true)]
    [InlineData("matches/{id}", "matches/42/timeline", false)]
    [InlineData("/v1/user/balance", "user/balance", true)]
    [InlineData("user/balance", "user/balance/", false)]
    [InlineData("user/balance", "user/balance", true)]
    [InlineData("user/balance", "user/balanc", false)]
    [InlineData("casino/*/odds", "casino/g-1/odds", true)]
    [InlineData("casino/*/odds", "casino/g-1/odds/x", false)]
    [InlineData("*", "user/balance", true)]
    [InlineData("/v1/user/*", "user/balance", true)]
    [InlineData("/v1/user/*", "casino/user/balance", false)]
    public async Task Pattern_MatchesPathRelativeToBaseAddress(string pattern, string path, bool cached)
    {
        var origin = new CacheTestOrigin();
        var (http, _) = origin.Client(new CacheOptions().Rule(pattern, TimeSpan.FromMinutes(1)));

        await http.BodyAsync(path);
        await http.BodyAsync(path);

        origin.Calls.ShouldBe(cached ? 1 : 2);
    }

    [Fact]
    public async Task PredicateRule_AndZeroTtlRule_ExcludesARouteTheServerWouldLetBeCached()
    {
        var origin = new CacheTestOrigin { Shape = (_, _, r) => r.Headers.CacheControl = new() { MaxAge = TimeSpan.FromMinutes(1) } };
        var options = new CacheOptions()
            .Rule("user/*", TimeSpan.Zero)
            .Add(r => r.RequestUri!.Query.Contains("live", StringComparison.Ordinal), TimeSpan.FromSeconds(2));
        var (http, _) = origin.Client(options);

        await http.BodyAsync("user/balance");
        await http.BodyAsync("user/balance");
        origin.Calls.ShouldBe(2, "a zero lifetime stores nothing, whatever the server says");

        await http.BodyAsync("events?live=1");
        origin.Clock.Advance(TimeSpan.FromSeconds(2) - Hair);
        (await http.BodyAsync("events?live=1")).ShouldBe("body 3");
        origin.Clock.Advance(Hair * 2);
        (await http.BodyAsync("events?live=1")).ShouldBe("body 4", "the rule's 2 s win over the server's minute");
    }

    [Fact]
    public async Task RouteTemplateSetting_MatchesThePatternExactly()
    {
        var origin = new CacheTestOrigin();
        var (http, _) = origin.Client(new CacheOptions().Rule("matches/{id}", TimeSpan.FromMinutes(1)));
        void Template(HttpRequestMessage r) => r.WithSalvoSettings(new SalvoRequestSettings { RouteTemplate = "matches/{id}" });

        await http.BodyAsync("m?id=7", Template);
        (await http.BodyAsync("m?id=7", Template)).ShouldBe("body 1");
    }

    [Fact]
    public async Task QueryOrder_DoesNotSplitTheKey_FragmentIgnored()
    {
        var origin = new CacheTestOrigin();
        var (http, _) = origin.Client(new CacheOptions().Rule("games", TimeSpan.FromMinutes(1)));

        await http.BodyAsync("games?b=2&a=1");
        (await http.BodyAsync("games?a=1&b=2#top")).ShouldBe("body 1");
        (await http.BodyAsync("games?a=1&b=3")).ShouldBe("body 2");
    }

    [Fact]
    public async Task Options_Invalid_FailAtCreationWithEveryProblem()
    {
        var options = new CacheOptions { StaleIfError = TimeSpan.FromSeconds(-1), EarlyRefreshBeta = 0, MaxEntryBytes = 0, DatabasePath = " " };
        options.Add("x", TimeSpan.FromSeconds(-2));
        options.IdentityHeaders.Add("");

        var ex = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => new ResponseCache(options));
        ex.Failures.Count().ShouldBe(6);
        var client = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => new SalvoClient(StubHandler.Json("{}"), ClientWith(options)));
        client.Message.ShouldContain("Cache.StaleIfError");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task DisabledByDefault_NoCacheStageAndNoCacheProperty()
    {
        var stub = StubHandler.Json("{}");
        await using var client = new SalvoClient(stub, new SalvoClientOptions { BaseAddress = CacheTestOrigin.Base });

        await client.GetStringAsync("a");
        await client.GetStringAsync("a");
        stub.Requests.Count.ShouldBe(2);
        client.Cache.ShouldBeNull();
    }

    [Fact]
    public async Task NonGetAndConditionalRequests_PassThrough()
    {
        var origin = new CacheTestOrigin();
        var (http, _) = origin.Client(new CacheOptions().Rule("*", TimeSpan.FromMinutes(1)));

        using (var post = new HttpRequestMessage(HttpMethod.Post, new Uri(CacheTestOrigin.Base, "a")) { Content = new StringContent("x") })
            (await http.SendAsync(post, default)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await http.BodyAsync("b", r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"v1\""));
        await http.BodyAsync("b", r => r.Headers.TryAddWithoutValidation("Range", "bytes=0-1"));

        origin.Calls.ShouldBe(3);
    }

    private static SalvoClientOptions ClientWith(CacheOptions cache)
    {
        var options = new SalvoClientOptions { BaseAddress = CacheTestOrigin.Base };
        options.Cache.StaleIfError = cache.StaleIfError;
        options.Cache.Enabled = true;
        return options;
    }
}
