using System.Net;
using System.Net.Http.Headers;
using Salvo.Caching;

namespace Salvo.Tests.Caching;

/// <summary>Stale-while-revalidate, stale-if-error, negative caching, XFetch and per-request modes, on a fake clock.</summary>
public class CacheStaleAndRefreshTests
{
    private static readonly TimeSpan Hair = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StaleWhileRevalidate_ServesStaleOnceAndRefreshesInTheBackground()
    {
        var origin = new CacheTestOrigin();
        var (http, cache) = origin.Client(new CacheOptions { StaleWhileRevalidate = TimeSpan.FromSeconds(5) }.Rule("*", Ttl));

        await http.BodyAsync("a");
        origin.Clock.Advance(Ttl + Hair);
        (await http.BodyAsync("a")).ShouldBe("body 1", "stale, inside the 5 s window");
        await cache.WhenBackgroundIdleAsync();
        (await http.BodyAsync("a")).ShouldBe("body 2", "the background refresh stored a fresh answer");

        origin.Calls.ShouldBe(2);
        cache.Counters.StaleServed.ShouldBe(1);
        cache.Counters.BackgroundRefreshes.ShouldBe(1);
    }

    [Fact]
    public async Task StaleWhileRevalidate_PastTheWindow_WaitsForTheUpstreamCall()
    {
        var origin = new CacheTestOrigin();
        var (http, cache) = origin.Client(new CacheOptions { StaleWhileRevalidate = TimeSpan.FromSeconds(5) }.Rule("*", Ttl));

        await http.BodyAsync("a");
        origin.Clock.Advance(Ttl + TimeSpan.FromSeconds(5) + Hair);
        (await http.BodyAsync("a")).ShouldBe("body 2");
        cache.Counters.StaleServed.ShouldBe(0);
    }

    [Fact]
    public async Task ServerStaleWhileRevalidateDirective_Honoured_MustRevalidateForbidsIt()
    {
        var origin = new CacheTestOrigin
        {
            Shape = (req, _, r) =>
            {
                var cc = new CacheControlHeaderValue { MaxAge = Ttl, MustRevalidate = req.RequestUri!.AbsolutePath.EndsWith("strict", StringComparison.Ordinal) };
                cc.Extensions.Add(new NameValueHeaderValue("stale-while-revalidate", "30"));
                r.Headers.CacheControl = cc;
            },
        };
        var (http, cache) = origin.Client(new CacheOptions { Enabled = true });

        await http.BodyAsync("loose");
        await http.BodyAsync("strict");
        origin.Clock.Advance(Ttl + TimeSpan.FromSeconds(20));
        (await http.BodyAsync("loose")).ShouldBe("body 1");
        (await http.BodyAsync("strict")).ShouldNotBe("body 2");
        await cache.WhenBackgroundIdleAsync();
        cache.Counters.StaleServed.ShouldBe(1);
    }

    [Fact]
    public async Task StaleIfError_UpstreamFailsOr5xx_StaleServedWithinTheWindowOnly()
    {
        var origin = new CacheTestOrigin();
        var fail = 0;
        origin.Respond = (req, n, _) => fail switch
        {
            1 => throw new HttpRequestException("connection refused"),
            2 => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("down") }),
            _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"body {n}") }),
        };
        var (http, cache) = origin.Client(new CacheOptions { StaleIfError = TimeSpan.FromMinutes(1) }.Rule("*", Ttl));

        await http.BodyAsync("a");
        origin.Clock.Advance(Ttl + Hair);
        fail = 1;
        (await http.BodyAsync("a")).ShouldBe("body 1", "a connection failure: the stored answer");
        fail = 2;
        (await http.BodyAsync("a")).ShouldBe("body 1", "a 503: the stored answer");
        origin.Clock.Advance(TimeSpan.FromMinutes(1));
        (await http.GetAsync("a")).Status.ShouldBe(HttpStatusCode.ServiceUnavailable, "past the window the failure shows");
        fail = 1;
        await Should.ThrowAsync<HttpRequestException>(() => http.GetAsync("a"));
        cache.Counters.StaleServed.ShouldBe(2);
    }

    [Fact]
    public async Task NegativeCaching_404CachedForNegativeTtl_OffByDefault()
    {
        var origin = new CacheTestOrigin { Shape = (_, _, r) => r.StatusCode = HttpStatusCode.NotFound };
        var (on, _) = origin.Client(new CacheOptions { NegativeTtl = TimeSpan.FromSeconds(30) }.Rule("*", TimeSpan.FromMinutes(5)));

        (await on.GetAsync("games/999")).Status.ShouldBe(HttpStatusCode.NotFound);
        origin.Clock.Advance(TimeSpan.FromSeconds(30) - Hair);
        (await on.GetAsync("games/999")).Body.ShouldBe("body 1");
        origin.Clock.Advance(Hair * 2);
        (await on.GetAsync("games/999")).Body.ShouldBe("body 2", "the negative lifetime, not the rule's 5 minutes");

        var (off, _) = new CacheTestOrigin { Shape = (_, _, r) => r.StatusCode = HttpStatusCode.NotFound }.Client(new CacheOptions().Rule("*", TimeSpan.FromMinutes(5)));
        await off.GetAsync("games/999");
        (await off.GetAsync("games/999")).Body.ShouldBe("body 2");
    }

    [Fact]
    public async Task EarlyRefresh_XFetch_RefreshesNearExpiryInProportionToFetchTime()
    {
        var origin = new CacheTestOrigin();
        origin.Respond = (req, n, _) =>
        {
            origin.Clock.Advance(TimeSpan.FromSeconds(2)); // the fetch takes 2 s
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"body {n}") });
        };
        var random = 0.5; // −ln(0.5) ≈ 0.69: refresh when within 2 s × 0.69 ≈ 1.39 s of expiry
        var (http, cache) = origin.Client(new CacheOptions { EarlyRefresh = true, Randomizer = () => random }.Rule("*", TimeSpan.FromSeconds(60)));

        await http.BodyAsync("a");
        origin.Clock.Advance(TimeSpan.FromSeconds(58.5));
        (await http.BodyAsync("a")).ShouldBe("body 1");
        await cache.WhenBackgroundIdleAsync();
        origin.Calls.ShouldBe(1, "1.5 s before expiry is outside 1.39 s");

        origin.Clock.Advance(TimeSpan.FromSeconds(0.2));
        (await http.BodyAsync("a")).ShouldBe("body 1", "served fresh while the refresh runs");
        await cache.WhenBackgroundIdleAsync();
        origin.Calls.ShouldBe(2, "1.3 s before expiry is inside it");
        cache.Counters.BackgroundRefreshes.ShouldBe(1);

        random = 1e-30; // −ln ≈ 69: 138 s ahead of a 60 s lifetime, refresh now
        (await http.BodyAsync("a")).ShouldBe("body 2");
        await cache.WhenBackgroundIdleAsync();
        origin.Calls.ShouldBe(3);
    }

    [Fact]
    public async Task Modes_BypassSkipsTheCache_RefreshReplacesTheEntry_RequestNoCacheToo()
    {
        var origin = new CacheTestOrigin();
        var (http, _) = origin.Client(new CacheOptions().Rule("*", TimeSpan.FromMinutes(1)));
        void With(HttpRequestMessage r, CacheMode mode) => r.WithSalvoSettings(new SalvoRequestSettings { Cache = mode });

        await http.BodyAsync("a");
        (await http.BodyAsync("a", r => With(r, CacheMode.Bypass))).ShouldBe("body 2");
        (await http.BodyAsync("a")).ShouldBe("body 1", "a bypass does not write");
        (await http.BodyAsync("a", r => With(r, CacheMode.Refresh))).ShouldBe("body 3");
        (await http.BodyAsync("a")).ShouldBe("body 3", "a refresh writes");
        (await http.BodyAsync("a", r => r.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true })).ShouldBe("body 4");
        (await http.BodyAsync("a", r => r.Headers.CacheControl = new CacheControlHeaderValue { NoStore = true })).ShouldBe("body 5");
        (await http.BodyAsync("a")).ShouldBe("body 4");
    }

    [Fact]
    public async Task Invalidation_ByUrlPrefixAndTag()
    {
        var origin = new CacheTestOrigin();
        var options = new CacheOptions().Rule("casino/*", TimeSpan.FromMinutes(5), "catalogue").Rule("user/*", TimeSpan.FromMinutes(5));
        var (http, cache) = origin.Client(options);
        string[] paths = ["casino/games", "casino/games?page=2", "casino/tables", "user/balance", "user/profile"];
        foreach (var path in paths)
            await http.BodyAsync(path);

        await cache.InvalidateAsync("casino/games");
        (await http.BodyAsync("casino/games")).ShouldBe("body 6", "that URL is gone");
        (await http.BodyAsync("casino/games?page=2")).ShouldBe("body 2", "another URL is not");
        await cache.InvalidatePrefixAsync("user/");
        (await http.BodyAsync("user/balance")).ShouldBe("body 7");
        await cache.InvalidateTagAsync("catalogue");
        (await http.BodyAsync("casino/tables")).ShouldBe("body 8");
        (await http.BodyAsync("casino/games?page=2")).ShouldBe("body 9");
        await cache.InvalidateAsync("http://api.test/v1/user/balance");
        (await http.BodyAsync("user/balance")).ShouldBe("body 10", "absolute URLs work too");
    }
}
