using System.Net;
using Salvo.Sandbox;

namespace Salvo.FunctionalTests.Sandbox;

public sealed class ChaosTests
{
    private static readonly HttpStatusCode[] FaultStatuses =
        [HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout];

    [Fact]
    public async Task FaultRate_One_EveryApiRequestGetsInjected5xx()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { FaultRate = 1, Seed = 1 });
        using var http = sandbox.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await http.GetAsync("casino/games");
            statuses.Add(response.StatusCode);
            if (i == 0)
                (await response.JsonAsync()).GetProperty("error").GetString().ShouldBe("injected_fault");
        }

        statuses.ShouldAllBe(s => FaultStatuses.Contains(s));
        statuses.Distinct().Count().ShouldBeGreaterThan(1);
        var stats = sandbox.GetStats();
        stats.FaultsInjected.ShouldBe(20);
        stats.ServiceUnavailable503.ShouldBe(0, "injected faults are not capacity rejections");
    }

    [Fact]
    public async Task BurstInterval_InsideABurst_Answers429WithRetryAfterAndOutsideServes()
    {
        var time = new Salvo.Testing.FakeTimeProvider();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            TimeProvider = time,
            BurstInterval = TimeSpan.FromSeconds(5),
            BurstLength = TimeSpan.FromMilliseconds(1500),
        });
        using var http = sandbox.CreateClient();

        using (var first = await http.GetAsync("user/balance"))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "a burst starts with the server");
            first.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(2), "1.5 s of burst left, in whole seconds rounded up");
            first.Headers.Contains("X-RateLimit-Limit").ShouldBeFalse("a burst gives no warning");
        }
        time.Advance(TimeSpan.FromMilliseconds(1501)); // a hair past the end: the clock's odd frequency rounds timestamps down
        (await http.GetAsync("user/balance")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync("echo")).StatusCode.ShouldBe(HttpStatusCode.OK);
        time.Advance(TimeSpan.FromMilliseconds(3500));
        (await http.GetAsync("user/balance")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "the next burst");
        (await http.GetAsync("echo")).StatusCode.ShouldBe(HttpStatusCode.OK, "helper endpoints are never throttled");

        var stats = sandbox.GetStats();
        stats.BurstRejected429.ShouldBe(2);
        stats.RateLimited429.ShouldBe(2);
    }

    [Fact]
    public async Task FaultRate_Zero_AfterChangeWhileRunning_Succeeds()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { FaultRate = 1 });
        using var http = sandbox.CreateClient();
        ((int)(await http.GetAsync("user/balance")).StatusCode).ShouldBeGreaterThanOrEqualTo(500);

        sandbox.Options.FaultRate = 0;

        (await http.GetAsync("user/balance")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task FaultRate_Half_FailsAboutHalfDeterministicallyWithSeed()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { FaultRate = 0.5, Seed = 42 });
        using var http = sandbox.CreateClient();

        var failures = 0;
        for (var i = 0; i < 200; i++)
        {
            using var response = await http.GetAsync("user/balance");
            if (!response.IsSuccessStatusCode)
                failures++;
        }

        failures.ShouldBeInRange(60, 140);
        sandbox.GetStats().FaultsInjected.ShouldBe(failures);
    }

    [Fact]
    public async Task ResetRate_One_ClientSeesHttpRequestException()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { ResetRate = 1 });
        using var http = sandbox.CreateClient();

        await Should.ThrowAsync<HttpRequestException>(() => http.GetAsync("user/balance"));

        sandbox.GetStats().ConnectionResets.ShouldBe(1);
    }

    [Fact]
    public async Task HangRate_One_RequestPendsUntilCancelled()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { HangRate = 1 });
        using var http = sandbox.CreateClient();
        using var cancel = new CancellationTokenSource();

        var pending = http.GetAsync("sports/events", cancel.Token);
        await Eventually.UntilAsync(() => sandbox.GetStats().Hangs == 1, "the server decides to hang");

        pending.IsCompleted.ShouldBeFalse();
        sandbox.GetStats().InFlight.ShouldBe(1);
        await cancel.CancelAsync();
        await Should.ThrowAsync<TaskCanceledException>(pending);
        await Eventually.UntilAsync(() => sandbox.GetStats().InFlight == 0, "the server notices the client left");
        sandbox.GetStats().Hangs.ShouldBe(1);
    }

    [Fact]
    public async Task Chaos_NotAppliedToHelpersOrTokenEndpoint()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { FaultRate = 1 });
        using var http = sandbox.CreateClient();

        (await http.GetAsync("echo")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var token = await http.PostAsync("auth/token", AuthTests.ClientCredentialsForm());
        token.StatusCode.ShouldBe(HttpStatusCode.OK);
        sandbox.GetStats().FaultsInjected.ShouldBe(0);
    }

    [Fact]
    public async Task DisposeAsync_WithHungRequest_ReleasesClientPromptly()
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { HangRate = 1 });
        using var http = sandbox.CreateClient();
        var pending = http.GetAsync("user/balance");
        await Eventually.UntilAsync(() => sandbox.GetStats().Hangs == 1, "the server decides to hang");

        var stopping = sandbox.DisposeAsync().AsTask();
        var finished = await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(4)));

        finished.ShouldBe(stopping, "disposal must not wait for the shutdown timeout");
        await Should.ThrowAsync<HttpRequestException>(pending);
    }
}
