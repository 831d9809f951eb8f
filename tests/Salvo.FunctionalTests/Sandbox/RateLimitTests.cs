using System.Net;
using Salvo.Sandbox;
using Salvo.Testing;

namespace Salvo.FunctionalTests.Sandbox;

public sealed class RateLimitTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Task<SandboxServer> StartAsync(FakeTimeProvider clock, string limits = "3/1s,5/1m") =>
        SandboxServer.StartAsync(new SandboxOptions { TimeProvider = clock, RateLimits = limits });

    [Fact]
    public async Task TwoWindows_AdmitExactlyTheirLimits_ThenAnswer429WithRetryAfter()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sandbox = await StartAsync(clock);
        using var http = sandbox.CreateClient();

        var first = await StatusesAsync(http, 4);
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = await StatusesAsync(http, 2);
        using var limited = await http.GetAsync("user/balance");

        first.ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests]);
        second.ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK]);
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(59), "the minute window opened a second ago");
        limited.Header("X-Rate-Limit-Type").ShouldBe("application");
        (await limited.JsonAsync()).GetProperty("error").GetString().ShouldBe("rate_limited");
        sandbox.GetStats().RateLimited429.ShouldBe(2);
    }

    [Fact]
    public async Task ShortWindow_429RetryAfter_IsCeilingOfRemainingSeconds()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sandbox = await StartAsync(clock, "2/1s");
        using var http = sandbox.CreateClient();
        await StatusesAsync(http, 2);
        clock.Advance(TimeSpan.FromMilliseconds(300));

        using var limited = await http.GetAsync("user/balance");

        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1), "0.7 s rounds up");
        clock.Advance(TimeSpan.FromMilliseconds(700));
        (await http.GetAsync("user/balance")).StatusCode.ShouldBe(HttpStatusCode.OK, "the window reset");
    }

    [Fact]
    public async Task AdmittedResponse_CarriesAllThreeHeaderFamilies()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sandbox = await StartAsync(clock, "20/1s,100/2m");
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync("casino/games/g-001");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Header("X-RateLimit-Limit").ShouldBe("20");
        response.Header("X-RateLimit-Remaining").ShouldBe("19");
        response.Header("X-RateLimit-Reset").ShouldBe(Start.AddSeconds(1).ToUnixTimeSeconds().ToString());
        response.Header("RateLimit-Policy").ShouldBe("\"w1\";q=20;w=1, \"w2\";q=100;w=120");
        response.Header("RateLimit").ShouldBe("\"w1\";r=19;t=1");
        response.Header("X-App-Rate-Limit").ShouldBe("20:1,100:120");
        response.Header("X-App-Rate-Limit-Count").ShouldBe("1:1,1:120");
        response.Headers.Date.ShouldBe(Start, "the reset's epoch and the Date come from one clock");
    }

    [Fact]
    public async Task Headers_WhenLongWindowIsTighter_DescribeLongWindowConsistently()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sandbox = await StartAsync(clock, "3/1s,4/1m");
        using var http = sandbox.CreateClient();
        await StatusesAsync(http, 2);
        clock.Advance(TimeSpan.FromSeconds(10));

        using var response = await http.GetAsync("user/balance");

        response.Header("X-RateLimit-Limit").ShouldBe("4");
        response.Header("X-RateLimit-Remaining").ShouldBe("1");
        response.Header("X-RateLimit-Reset").ShouldBe(Start.AddMinutes(1).ToUnixTimeSeconds().ToString());
        response.Header("RateLimit").ShouldBe("\"w2\";r=1;t=50");
        response.Header("X-App-Rate-Limit-Count").ShouldBe("1:1,3:60");
    }

    [Fact]
    public async Task LimitedResponse_HeadersShowExhaustedWindow()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sandbox = await StartAsync(clock, "1/1s,10/1m");
        using var http = sandbox.CreateClient();
        await StatusesAsync(http, 1);

        using var limited = await http.GetAsync("user/balance");

        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Header("X-RateLimit-Remaining").ShouldBe("0");
        limited.Header("RateLimit").ShouldBe("\"w1\";r=0;t=1");
        limited.Header("X-App-Rate-Limit-Count").ShouldBe("1:1,1:60", "a rejected request is not counted");
    }

    [Fact]
    public async Task Partitions_ApiKeysTokensAndAnonymous_AreIndependent()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sandbox = await StartAsync(clock, "1/1m");
        using var http = sandbox.CreateClient();

        async Task<HttpStatusCode> Get(string? apiKey = null, string? bearer = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "user/balance");
            if (apiKey is not null)
                request.Headers.Add("X-Api-Key", apiKey);
            if (bearer is not null)
                request.Headers.Authorization = new("Bearer", bearer);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        (await Get(apiKey: "a")).ShouldBe(HttpStatusCode.OK);
        (await Get(apiKey: "a")).ShouldBe(HttpStatusCode.TooManyRequests);
        (await Get(apiKey: "b")).ShouldBe(HttpStatusCode.OK);
        (await Get(bearer: "t1")).ShouldBe(HttpStatusCode.OK);
        (await Get(bearer: "t1")).ShouldBe(HttpStatusCode.TooManyRequests);
        (await Get(apiKey: "c", bearer: "t1")).ShouldBe(HttpStatusCode.OK, "the API key wins over the token");
        (await Get()).ShouldBe(HttpStatusCode.OK);
        (await Get()).ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task RateLimits_NotAppliedToHelpers_AndChangeableWhileRunning()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sandbox = await StartAsync(clock, "1/1h");
        using var http = sandbox.CreateClient();
        (await StatusesAsync(http, 2)).ShouldBe([HttpStatusCode.OK, HttpStatusCode.TooManyRequests]);

        using var echo = await http.GetAsync("echo");
        echo.StatusCode.ShouldBe(HttpStatusCode.OK);
        echo.Headers.Contains("X-RateLimit-Limit").ShouldBeFalse();

        sandbox.Options.RateLimits = "2/1h";
        (await StatusesAsync(http, 3)).ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests]);
        sandbox.Options.RateLimits = null;
        (await http.GetAsync("user/balance")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ConcurrentRequests_AdmitExactlyTheLimit()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sandbox = await StartAsync(clock, "25/1s,1000/1h");
        using var http = sandbox.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => http.GetAsync("user/balance")));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(25);
        responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests).ShouldBe(35);
        sandbox.GetStats().RateLimited429.ShouldBe(35);
    }

    [Theory]
    [InlineData(SandboxRateLimitHeaders.GitHub, new[] { "X-RateLimit-Limit" })]
    [InlineData(SandboxRateLimitHeaders.Ietf, new[] { "RateLimit-Policy", "RateLimit" })]
    [InlineData(SandboxRateLimitHeaders.Riot, new[] { "X-App-Rate-Limit", "X-App-Rate-Limit-Count" })]
    [InlineData(SandboxRateLimitHeaders.GitHub | SandboxRateLimitHeaders.Riot, new[] { "X-RateLimit-Limit", "X-App-Rate-Limit", "X-App-Rate-Limit-Count" })]
    [InlineData(SandboxRateLimitHeaders.None, new string[0])]
    public async Task RateLimitHeaders_ChosenFamilies_AreTheOnlyOnesSent(SandboxRateLimitHeaders families, string[] expected)
    {
        var clock = new FakeTimeProvider(Start);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = clock, RateLimits = "1/1s", RateLimitHeaders = families });
        using var http = sandbox.CreateClient();

        using var ok = await http.GetAsync("user/balance");
        using var limited = await http.GetAsync("user/balance");

        string[] all = ["X-RateLimit-Limit", "RateLimit-Policy", "RateLimit", "X-App-Rate-Limit", "X-App-Rate-Limit-Count"];
        all.Where(ok.Headers.Contains).ShouldBe(all.Where(expected.Contains));
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1), "a 429 always says when to come back");
    }

    [Fact]
    public async Task ServiceLimitRate_Answers429ForLoad_WithoutSpendingQuota()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = clock, RateLimits = "1/1m", ServiceLimitRate = 1 });
        using var http = sandbox.CreateClient();

        using var busy = await http.GetAsync("user/balance");
        sandbox.Options.ServiceLimitRate = 0;
        using var ok = await http.GetAsync("user/balance");

        busy.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        busy.Header("X-Rate-Limit-Type").ShouldBe("service");
        busy.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        busy.Headers.Contains("X-App-Rate-Limit").ShouldBeFalse();
        ok.StatusCode.ShouldBe(HttpStatusCode.OK, "the service 429 spent none of the 1 per minute");
        sandbox.GetStats().ServiceLimited429.ShouldBe(1);
        sandbox.GetStats().RateLimited429.ShouldBe(0);
    }

    [Fact]
    public async Task StartAsync_InvalidServiceLimitRate_Throws() =>
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => SandboxServer.StartAsync(new SandboxOptions { ServiceLimitRate = 2 }));

    [Fact]
    public void ParseMany_ParsesEveryUnit()
    {
        var limits = SandboxRateLimit.ParseMany("20/1s, 100/2m,5/500ms,1000/1h,3/s");

        limits.Select(l => (l.Limit, l.Window)).ShouldBe(
        [
            (20, TimeSpan.FromSeconds(1)),
            (100, TimeSpan.FromMinutes(2)),
            (5, TimeSpan.FromMilliseconds(500)),
            (1000, TimeSpan.FromHours(1)),
            (3, TimeSpan.FromSeconds(1)),
        ]);
        string.Join(",", limits).ShouldBe("20/1s,100/2m,5/500ms,1000/1h,3/1s");
    }

    [Theory]
    [InlineData("20")]
    [InlineData("0/1s")]
    [InlineData("-1/1s")]
    [InlineData("x/1s")]
    [InlineData("20/1d")]
    [InlineData("20/0")]
    public void ParseMany_Invalid_ThrowsFormatException(string text) =>
        Should.Throw<FormatException>(() => SandboxRateLimit.ParseMany(text));

    [Fact]
    public async Task StartAsync_InvalidRateLimits_ThrowsFormatException() =>
        await Should.ThrowAsync<FormatException>(() => SandboxServer.StartAsync(new SandboxOptions { RateLimits = "lots" }));

    private static async Task<HttpStatusCode[]> StatusesAsync(HttpClient http, int count)
    {
        var statuses = new HttpStatusCode[count];
        for (var i = 0; i < count; i++)
        {
            using var response = await http.GetAsync("user/balance");
            statuses[i] = response.StatusCode;
        }
        return statuses;
    }
}
