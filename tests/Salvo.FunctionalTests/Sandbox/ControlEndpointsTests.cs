using System.Net;
using Salvo.Sandbox;

namespace Salvo.FunctionalTests.Sandbox;

public sealed class ControlEndpointsTests
{
    [Fact]
    public async Task StatsEndpoint_ReportsCountsByRoute_AndIsNotCounted()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();
        await http.GetAsync("casino/games/g-001");
        await http.GetAsync("casino/games/g-002");
        await http.GetAsync("user/balance");

        using var response = await http.GetAsync("_sandbox/stats");
        await http.GetAsync("_sandbox/stats");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await response.JsonAsync();
        json.GetProperty("totalRequests").GetInt64().ShouldBe(3);
        json.GetProperty("requestsByRoute").GetProperty("GET /casino/games/{id}").GetInt64().ShouldBe(2);
        json.GetProperty("requestsByRoute").GetProperty("GET /user/balance").GetInt64().ShouldBe(1);
        json.GetProperty("connectionsOpened").GetInt64().ShouldBe(1);
        var stats = sandbox.GetStats();
        stats.TotalRequests.ShouldBe(3);
        stats.RequestsByRoute.Keys.ShouldNotContain(k => k.Contains("_sandbox"));
    }

    [Fact]
    public async Task ResetEndpoint_ZeroesCounters()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();
        await http.GetAsync("user/balance");
        await http.GetAsync("status/500");

        using var reset = await http.PostAsync("_sandbox/reset", null);

        reset.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var stats = sandbox.GetStats();
        stats.TotalRequests.ShouldBe(0);
        stats.RequestsByRoute.ShouldBeEmpty();
        stats.ConnectionsOpened.ShouldBe(0);
        stats.MaxInFlight.ShouldBe(0);
    }

    [Fact]
    public async Task ResetStats_InProcess_ZeroesCountersAndCountingResumes()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();
        await http.GetAsync("echo");

        sandbox.ResetStats();
        await http.GetAsync("echo");

        sandbox.GetStats().TotalRequests.ShouldBe(1);
        sandbox.GetStats().Route("GET /echo").ShouldBe(1);
    }

    [Fact]
    public async Task Stats_ConcurrentRequests_CountedExactly()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => http.GetAsync($"casino/games/g-{i % 200 + 1:000}")));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var stats = sandbox.GetStats();
        stats.TotalRequests.ShouldBe(200);
        stats.Route("GET /casino/games/{id}").ShouldBe(200);
        stats.MaxInFlight.ShouldBeInRange(1, 200);
        await Eventually.UntilAsync(() => sandbox.GetStats().InFlight == 0, "every request has left the server");
    }
}
