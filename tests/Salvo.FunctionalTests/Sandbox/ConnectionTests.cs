using System.Net;
using Salvo.Sandbox;
using Salvo.Testing;

namespace Salvo.FunctionalTests.Sandbox;

public sealed class ConnectionTests
{
    [Fact]
    public async Task ConnectionsOpened_TwoRequestsOnOnePooledClient_IsOne()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        (await http.GetAsync("user/balance")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync("user/balance")).StatusCode.ShouldBe(HttpStatusCode.OK);

        sandbox.GetStats().ConnectionsOpened.ShouldBe(1);
    }

    [Fact]
    public async Task ConnectionsOpened_TwoClients_IsTwo()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var first = sandbox.CreateClient();
        using var second = sandbox.CreateClient();

        (await first.GetAsync("user/balance")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.GetAsync("user/balance")).StatusCode.ShouldBe(HttpStatusCode.OK);

        sandbox.GetStats().ConnectionsOpened.ShouldBe(2);
    }

    [Fact]
    public async Task ConnectionLatency_PaidOncePerNewConnection()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            TimeProvider = clock,
            ConnectionLatency = TimeSpan.FromMilliseconds(50),
        });
        using var http = sandbox.CreateClient();

        var first = http.GetAsync("echo");
        await Eventually.UntilAsync(() => clock.ActiveTimers == 1, "the new connection is held");
        clock.Advance(TimeSpan.FromMilliseconds(49));
        clock.ActiveTimers.ShouldBe(1);
        first.IsCompleted.ShouldBeFalse();
        clock.Advance(TimeSpan.FromMilliseconds(1));
        (await first).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var second = await http.GetAsync("echo");
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        clock.ActiveTimers.ShouldBe(0, "a pooled connection pays nothing");
        sandbox.GetStats().ConnectionsOpened.ShouldBe(1);
    }
}
