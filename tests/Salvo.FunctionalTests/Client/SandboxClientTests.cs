using System.Net;
using Salvo.Concurrency;
using Salvo.Sandbox;
using Salvo.Testing;

namespace Salvo.FunctionalTests.Client;

/// <summary>SalvoClient against the real Sandbox on 127.0.0.1:0: the seeds' calls, bad input, budgets.</summary>
public sealed class SandboxClientTests : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync(new SandboxOptions { Seed = 7 });

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private SalvoClient Client(Action<SalvoClientOptions>? configure = null)
    {
        var options = new SalvoClientOptions { BaseAddress = _sandbox.BaseAddress };
        configure?.Invoke(options);
        return new SalvoClient(options);
    }

    [Fact]
    public async Task GetJsonAsync_SeedEndpoints_DecodeTyped()
    {
        await using var client = Client();

        var (balance, games, events) = await Concurrently.All(
            client.GetJsonAsync("user/balance", ClientJson.Default.Balance),
            client.GetJsonAsync("casino/games?category=slots", ClientJson.Default.GameArray),
            client.GetJsonAsync("sports/events", ClientJson.Default.SportEventArray));

        balance.Available.Currency.ShouldNotBeNullOrEmpty();
        games.ShouldNotBeEmpty();
        games.ShouldAllBe(g => g.Category == "slots");
        events.ShouldNotBeEmpty();
        (await client.GetJsonAsync($"casino/games/{games[0].Id}", ClientJson.Default.Game)).ShouldBe(games[0]);
    }

    [Fact]
    public async Task SequentialCalls_OneClient_ReuseOneConnection()
    {
        await using var client = Client();

        for (var i = 0; i < 20; i++)
            await client.GetJsonAsync("user/balance", ClientJson.Default.Balance);

        _sandbox.GetStats().ConnectionsOpened.ShouldBe(1);
    }

    [Fact]
    public async Task GetJsonAsync_UnknownGame_ThrowsNotFound()
    {
        await using var client = Client();

        var ex = await Should.ThrowAsync<SalvoNotFoundException>(() => client.GetJsonAsync("casino/games/nope", ClientJson.Default.Game));

        ex.Url.ShouldBe(new Uri(_sandbox.BaseAddress, "casino/games/nope").ToString());
        ex.BodyPreview.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task GetJsonAsync_RateLimited_ThrowsTooManyRequestsWithRetryAfter()
    {
        _sandbox.Options.RateLimits = "2/10s";
        await using var client = Client(o =>
        {
            // What the server's 429 becomes: neither retried nor avoided (RetryTests and the rate-limiting tests do those).
            o.Retry.Enabled = false;
            o.RateLimit.Enabled = false;
        });

        await client.GetJsonAsync("user/balance", ClientJson.Default.Balance);
        await client.GetJsonAsync("user/balance", ClientJson.Default.Balance);
        var ex = await Should.ThrowAsync<SalvoTooManyRequestsException>(() => client.GetJsonAsync("user/balance", ClientJson.Default.Balance));

        ex.RetryAfter.ShouldNotBeNull();
        ex.RetryAfter!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        ex.IsTransient.ShouldBeTrue();
    }

    [Fact]
    public async Task GetJsonAsync_MalformedJson_ThrowsDecoding()
    {
        await using var client = Client();

        var ex = await Should.ThrowAsync<SalvoDecodingException>(() => client.GetJsonAsync("malformed-json", ClientJson.Default.Game));

        ex.BodyPreview.ShouldStartWith("{\"id\": 1");
    }

    [Fact]
    public async Task GetJsonAsync_HtmlPage_ThrowsDecodingNamingContentType()
    {
        await using var client = Client();

        var ex = await Should.ThrowAsync<SalvoDecodingException>(() => client.GetJsonAsync("html", ClientJson.Default.Game));

        ex.ContentType.ShouldBe("text/html");
    }

    [Fact]
    public async Task GetBytesAsync_TruncatedBody_ThrowsConnectionErrorResponseEnded()
    {
        await using var client = Client();

        var ex = await Should.ThrowAsync<SalvoConnectionException>(() => client.GetBytesAsync("truncated"));

        ex.Error.ShouldBe(HttpRequestError.ResponseEnded);
        ex.Message.ShouldContain("truncated");
    }

    [Fact]
    public async Task GetBytesAsync_ConnectionReset_ThrowsTransientConnectionError()
    {
        _sandbox.Options.ResetRate = 1;
        await using var client = Client();

        var ex = await Should.ThrowAsync<SalvoConnectionException>(() => client.GetBytesAsync("user/balance"));

        ex.IsTransient.ShouldBeTrue();
    }

    [Fact]
    public async Task GetBytesAsync_OverMaxResponseSize_ThrowsTooLarge()
    {
        await using var client = Client(o => o.MaxResponseSize = 10_000);

        var ex = await Should.ThrowAsync<SalvoResponseTooLargeException>(() => client.GetBytesAsync("bytes/20000"));

        ex.DeclaredLength.ShouldBe(20_000);
        (await client.GetBytesAsync("bytes/10000")).Length.ShouldBe(10_000);
    }

    [Fact]
    public async Task GetJsonAsync_RedirectLoop_ThrowsTooManyRedirects()
    {
        await using var client = Client(o => o.MaxRedirects = 5);

        var ex = await Should.ThrowAsync<SalvoTooManyRedirectsException>(() => client.GetJsonAsync("redirect-loop", ClientJson.Default.Echo));

        ((int)ex.StatusCode!).ShouldBeInRange(300, 399);
        ex.IsTransient.ShouldBeFalse();
    }

    [Fact]
    public async Task GetJsonAsync_RedirectChain_FollowsToTarget()
    {
        await using var client = Client();

        var echo = await client.GetJsonAsync("redirect/3", ClientJson.Default.Echo);

        echo.Path.ShouldBe("/echo");
    }

    [Fact]
    public async Task GetJsonAsync_HungServer_AttemptBudgetOnFakeClock_ThrowsTimeout()
    {
        var time = new FakeTimeProvider();
        await using var client = Client(o =>
        {
            o.TimeProvider = time;
            o.Timeouts.Total = TimeSpan.FromSeconds(10);
            o.Timeouts.Attempt = TimeSpan.FromSeconds(3);
            o.Retry.Enabled = false; // one attempt: the retried hang is tested in ResilienceTests
        });

        var call = client.GetJsonAsync("hang", ClientJson.Default.Echo);
        await WaitUntilAsync(() => _sandbox.GetStats().Hangs == 1 || _sandbox.GetStats().InFlight == 1);
        time.Advance(TimeSpan.FromSeconds(3));

        var ex = await Should.ThrowAsync<SalvoTimeoutException>(() => call);
        ex.Budget.ShouldBe(TimeoutBudget.Attempt);
    }

    [Fact]
    public async Task GetJsonAsync_NothingListening_ThrowsConnectionError()
    {
        var port = _sandbox.BaseAddress.Port;
        await _sandbox.DisposeAsync();
        _sandbox = await SandboxServer.StartAsync();
        await using var client = new SalvoClient(new SalvoClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/") });

        var ex = await Should.ThrowAsync<SalvoConnectionException>(() => client.GetBytesAsync("user/balance"));

        ex.Error.ShouldBe(HttpRequestError.ConnectionError);
        ex.IsTransient.ShouldBeTrue();
    }

    [Fact]
    public async Task ManyConcurrentCalls_BoundedHelper_NeverExceedsBound()
    {
        _sandbox.Options.Latency = SandboxLatency.Fixed(TimeSpan.FromMilliseconds(20));
        await using var client = Client();

        var results = new List<ItemResult<int, Game>>();
        await foreach (var r in Enumerable.Range(1, 60).SelectConcurrentAsync(
            (i, ct) => client.GetJsonAsync($"casino/games/g-{i:000}", ClientJson.Default.Game, ct), maxConcurrency: 8))
            results.Add(r);

        results.Count.ShouldBe(60);
        results.ShouldAllBe(r => r.IsSuccess);
        results.Select(r => r.Value.Id).Distinct().Count().ShouldBe(60);
        _sandbox.GetStats().MaxInFlight.ShouldBeLessThanOrEqualTo(8);
        client.Stats.MaxInFlight.ShouldBeLessThanOrEqualTo(8);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Waits for server-side state (not for time to pass): polls a counter, bounded.
        for (var i = 0; i < 500 && !condition(); i++)
            await Task.Delay(10);
        condition().ShouldBeTrue();
    }
}
