using System.Net;
using Salvo.Sandbox;
using Salvo.Testing;

namespace Salvo.FunctionalTests.Sandbox;

public sealed class LatencyTests
{
    [Fact]
    public async Task FixedLatency_RequestCompletesOnlyAfterClockPassesDelay()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            TimeProvider = clock,
            Latency = SandboxLatency.Fixed(TimeSpan.FromMilliseconds(200)),
        });
        using var http = sandbox.CreateClient();

        var pending = http.GetAsync("user/balance");
        await Eventually.UntilAsync(() => clock.ActiveTimers == 1, "the request is delayed");
        clock.Advance(TimeSpan.FromMilliseconds(199));

        pending.IsCompleted.ShouldBeFalse();
        clock.ActiveTimers.ShouldBe(1);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await pending;
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Latency_ChangedWhileRunning_AppliesToNextRequest()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = clock });
        using var http = sandbox.CreateClient();
        (await http.GetAsync("casino/games/g-001")).StatusCode.ShouldBe(HttpStatusCode.OK);

        sandbox.Options.Latency = SandboxLatency.Parse("1s");
        var pending = http.GetAsync("casino/games/g-001");
        await Eventually.UntilAsync(() => clock.ActiveTimers == 1, "the request is delayed");

        pending.IsCompleted.ShouldBeFalse();
        clock.Advance(TimeSpan.FromMilliseconds(999));
        clock.ActiveTimers.ShouldBe(1);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        (await pending).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Latency_NotAppliedToHelpersOrControlEndpoints()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            TimeProvider = clock,
            Latency = SandboxLatency.Fixed(TimeSpan.FromHours(1)),
        });
        using var http = sandbox.CreateClient();

        (await http.GetAsync("echo")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync("_sandbox/stats")).StatusCode.ShouldBe(HttpStatusCode.OK);
        clock.ActiveTimers.ShouldBe(0);
    }

    [Fact]
    public async Task UniformLatency_DelayStaysWithinRange()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            TimeProvider = clock,
            Seed = 3,
            Latency = SandboxLatency.Parse("100ms..300ms"),
        });
        using var http = sandbox.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            var pending = http.GetAsync("sports/events/e-001");
            await Eventually.UntilAsync(() => clock.ActiveTimers == 1, "the request is delayed");
            clock.Advance(TimeSpan.FromMilliseconds(99));
            clock.ActiveTimers.ShouldBe(1, "the delay is at least 100 ms");
            clock.Advance(TimeSpan.FromMilliseconds(201));
            clock.ActiveTimers.ShouldBe(0, "the delay is at most 300 ms");
            (await pending).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Latency_ClientCancels_RequestLeavesFlightWithoutAdvancingClock()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            TimeProvider = clock,
            Latency = SandboxLatency.Fixed(TimeSpan.FromMinutes(1)),
        });
        using var http = sandbox.CreateClient();
        using var cancel = new CancellationTokenSource();

        var pending = http.GetAsync("user/balance", cancel.Token);
        await Eventually.UntilAsync(() => clock.ActiveTimers == 1, "the request is delayed");
        await cancel.CancelAsync();

        await Should.ThrowAsync<TaskCanceledException>(pending);
        await Eventually.UntilAsync(() => sandbox.GetStats().InFlight == 0 && clock.ActiveTimers == 0, "the server drops the request");
    }

    [Fact]
    public async Task SlowRate_One_MultipliesLatencyBySlowFactor()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            TimeProvider = clock,
            Latency = SandboxLatency.Fixed(TimeSpan.FromMilliseconds(10)),
            SlowRate = 1,
            SlowFactor = 20,
        });
        using var http = sandbox.CreateClient();

        var pending = http.GetAsync("user/balance");
        await Eventually.UntilAsync(() => clock.ActiveTimers == 1, "the request is delayed");
        clock.Advance(TimeSpan.FromMilliseconds(199));
        pending.IsCompleted.ShouldBeFalse();
        clock.Advance(TimeSpan.FromMilliseconds(1));

        (await pending).StatusCode.ShouldBe(HttpStatusCode.OK);
        sandbox.GetStats().SlowResponses.ShouldBe(1);
    }

    [Fact]
    public async Task SlowFactor_BelowOne_IsRejectedAtStart()
    {
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => SandboxServer.StartAsync(new SandboxOptions { SlowFactor = 0.5 }));
    }
}
