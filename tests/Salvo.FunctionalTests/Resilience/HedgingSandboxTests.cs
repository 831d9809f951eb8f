using System.Net;
using Salvo.FunctionalTests.Sandbox;
using Salvo.Resilience;
using Salvo.Sandbox;
using Salvo.Testing;

namespace Salvo.FunctionalTests.Resilience;

/// <summary>
/// Hedging against the real Sandbox's slow tail (<see cref="SandboxOptions.SlowRate"/>). The server and the handler
/// share one fake clock, and the slow tail is switched per request, so which attempt is slow is decided, not drawn.
/// </summary>
public sealed class HedgingSandboxTests : IAsyncLifetime
{
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan HedgeDelay = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);
    private readonly FakeTimeProvider _clock = new();
    private SandboxServer _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync(new SandboxOptions
    {
        TimeProvider = _clock,
        Latency = SandboxLatency.Fixed(Latency),
        SlowFactor = 20,
        Seed = 5,
    });

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task HttpClient_SlowFirstAttempt_HedgeAnswersAndTheSlowAttemptIsAbandoned()
    {
        var hedging = Hedging();
        using var http = new HttpClient(hedging) { BaseAddress = _sandbox.BaseAddress };

        _sandbox.Options.SlowRate = 1;
        var call = http.GetStringAsync("casino/games/g-001");
        await Eventually.UntilAsync(() => _clock.ActiveTimers == 2, "the first attempt is slowed on the server and the hedge delay runs");
        _sandbox.Options.SlowRate = 0;
        _clock.Advance(HedgeDelay);
        await Eventually.UntilAsync(() => _sandbox.GetStats().InFlight == 2 && _clock.ActiveTimers == 2, "the hedge is on the server too");
        _clock.Advance(Latency);
        var body = await call;

        body.ShouldContain("g-001");
        hedging.Counters.Hedged.ShouldBe(1);
        hedging.Counters.HedgesWon.ShouldBe(1);
        // The slow attempt still had 1.6 s of fake time to go: it ends only because the client abandoned it.
        await Eventually.UntilAsync(() => _sandbox.GetStats().InFlight == 0, "the slow attempt is cancelled on the server");
        var stats = _sandbox.GetStats();
        stats.TotalRequests.ShouldBe(2);
        stats.SlowResponses.ShouldBe(1);
    }

    [Fact]
    public async Task SalvoClient_HedgingOn_SlowFirstAttemptIsOvertakenByTheHedge()
    {
        // The client's own pipeline (hedging at position 5) on the shared clock; its budgets are timers on it too.
        var options = new SalvoClientOptions { BaseAddress = _sandbox.BaseAddress, TimeProvider = _clock };
        (options.Hedging.Enabled, options.Hedging.Delay, options.Hedging.Percentile, options.Hedging.BudgetRatio) = (true, HedgeDelay, null, 1);
        await using var client = new SalvoClient(options);

        // One answer first: until a host has answered once, the rate limiter (stage 8) lets a single probe through
        // and holds the rest — a hedge too.
        (await StepUntilDoneAsync(client.GetStringAsync("casino/games/g-001"))).Body.ShouldContain("g-001");
        _sandbox.ResetStats();

        _sandbox.Options.SlowRate = 1;
        var call = client.GetStringAsync("casino/games/g-002");
        await Eventually.UntilAsync(() => _sandbox.GetStats().SlowResponses == 1, "the first attempt is slowed on the server");
        _sandbox.Options.SlowRate = 0;
        var (body, stepped) = await StepUntilDoneAsync(call);

        body.ShouldContain("g-002");
        stepped.ShouldBeInRange(HedgeDelay + Latency, Latency * 10, "answered by the hedge, long before the slow attempt's 2 s");
        await Eventually.UntilAsync(() => _sandbox.GetStats().InFlight == 0, "the slow attempt is cancelled on the server");
        _sandbox.GetStats().TotalRequests.ShouldBe(2);
    }

    [Fact]
    public async Task HttpClient_FastAnswers_SendNoHedge()
    {
        var hedging = Hedging();
        using var http = new HttpClient(hedging) { BaseAddress = _sandbox.BaseAddress };

        for (var i = 0; i < 5; i++)
        {
            var call = http.GetStringAsync("casino/games/g-001");
            await Eventually.UntilAsync(() => _clock.ActiveTimers == 2, "the request is delayed and the hedge delay runs");
            _clock.Advance(Latency);
            (await call).ShouldContain("g-001");
        }

        hedging.Counters.Hedged.ShouldBe(0);
        _sandbox.GetStats().TotalRequests.ShouldBe(5);
    }

    [Fact]
    public async Task HttpClient_SlowCallWithHedgeOff_IsSentOnce()
    {
        var hedging = Hedging();
        using var http = new HttpClient(hedging) { BaseAddress = _sandbox.BaseAddress };
        _sandbox.Options.SlowRate = 1;
        using var request = new HttpRequestMessage(HttpMethod.Get, "casino/games/g-001").WithSalvoSettings(new SalvoRequestSettings { Hedge = false });

        var call = http.SendAsync(request);
        await Eventually.UntilAsync(() => _sandbox.GetStats().InFlight == 1 && _clock.ActiveTimers == 1, "the call is slowed on the server");
        _clock.Advance(HedgeDelay);
        _clock.ActiveTimers.ShouldBe(1, "only the server's delay: no hedge delay was scheduled");
        _clock.Advance(Latency * 20 - HedgeDelay);
        using var response = await call;

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _sandbox.GetStats().TotalRequests.ShouldBe(1);
        hedging.Counters.Hedged.ShouldBe(0);
    }

    /// <summary>
    /// Steps the shared clock until the call ends, rather than counting timers: every stage of the client's pipeline
    /// may hold some. Bounded, in steps and in real time.
    /// </summary>
    private async Task<(string Body, TimeSpan Stepped)> StepUntilDoneAsync(Task<string> call)
    {
        var stepped = TimeSpan.Zero;
        while (!call.IsCompleted && stepped < Latency * 10)
        {
            _clock.Advance(Step);
            stepped += Step;
            await Task.WhenAny(call, Task.Delay(5));
        }
        return (await call.WaitAsync(TimeSpan.FromSeconds(10)), stepped);
    }

    private HedgingHandler Hedging() => new(
        new HedgingOptions { Enabled = true, Delay = HedgeDelay, Percentile = null, BudgetRatio = 1 },
        _clock)
    {
        InnerHandler = new SocketsHttpHandler(),
    };
}
