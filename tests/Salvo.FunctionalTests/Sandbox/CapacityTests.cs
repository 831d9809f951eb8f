using System.Net;
using Salvo.Sandbox;
using Salvo.Testing;

namespace Salvo.FunctionalTests.Sandbox;

public sealed class CapacityTests
{
    [Fact]
    public async Task Capacity_BeyondTwiceInFlight_Answers503WithRetryAfter()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            TimeProvider = clock,
            Capacity = 2,
            Latency = SandboxLatency.Fixed(TimeSpan.FromSeconds(1)),
        });
        using var http = sandbox.CreateClient();

        var held = new List<Task<HttpResponseMessage>>();
        for (var i = 1; i <= 4; i++)
        {
            held.Add(http.GetAsync("user/balance"));
            var expected = i;
            await Eventually.UntilAsync(() => clock.ActiveTimers == expected, $"{expected} requests are in flight");
        }
        using var rejected = await http.GetAsync("user/balance");

        rejected.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        rejected.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        (await rejected.JsonAsync()).GetProperty("error").GetString().ShouldBe("overloaded");
        held.ShouldAllBe(t => !t.IsCompleted);
        var stats = sandbox.GetStats();
        stats.ServiceUnavailable503.ShouldBe(1);
        stats.MaxInFlight.ShouldBe(5);

        clock.Advance(TimeSpan.FromSeconds(2));
        foreach (var response in await Task.WhenAll(held))
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Capacity_AboveCapacity_LatencyGrowsWithLoad()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            TimeProvider = clock,
            Capacity = 1,
            Latency = SandboxLatency.Fixed(TimeSpan.FromSeconds(1)),
        });
        using var http = sandbox.CreateClient();

        var first = http.GetAsync("casino/games/g-001");
        await Eventually.UntilAsync(() => clock.ActiveTimers == 1, "the first request is in flight");
        var second = http.GetAsync("casino/games/g-002");
        await Eventually.UntilAsync(() => clock.ActiveTimers == 2, "the second request is in flight");

        clock.Advance(TimeSpan.FromSeconds(1));
        (await first).StatusCode.ShouldBe(HttpStatusCode.OK);
        clock.ActiveTimers.ShouldBe(1, "at twice the capacity the second request takes twice as long");
        second.IsCompleted.ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));
        (await second).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Capacity_Unlimited_NeverSheds()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            TimeProvider = clock,
            Latency = SandboxLatency.Fixed(TimeSpan.FromSeconds(1)),
        });
        using var http = sandbox.CreateClient();

        var requests = Enumerable.Range(0, 20).Select(_ => http.GetAsync("user/balance")).ToList();
        await Eventually.UntilAsync(() => clock.ActiveTimers == 20, "all requests are in flight");
        clock.Advance(TimeSpan.FromSeconds(1));

        (await Task.WhenAll(requests)).ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        sandbox.GetStats().MaxInFlight.ShouldBe(20);
    }
}
