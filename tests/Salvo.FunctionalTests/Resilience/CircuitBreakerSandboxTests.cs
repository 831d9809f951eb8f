using System.Net;
using Polly.CircuitBreaker;
using Salvo.FunctionalTests.Sandbox;
using Salvo.Resilience;
using Salvo.Sandbox;
using Salvo.Testing;

namespace Salvo.FunctionalTests.Resilience;

/// <summary>
/// The circuit breaker against two real Sandboxes on 127.0.0.1:0 — one answering only 5xx, one healthy. The breaker
/// runs on a fake clock, so the break passes when the test says, while the servers answer in real time.
/// </summary>
public sealed class CircuitBreakerSandboxTests : IAsyncLifetime
{
    private const int Throughput = 5;
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new();
    private SandboxServer _failing = null!;
    private SandboxServer _healthy = null!;

    public async Task InitializeAsync()
    {
        _failing = await SandboxServer.StartAsync(new SandboxOptions { FaultRate = 1, Seed = 1 });
        _healthy = await SandboxServer.StartAsync(new SandboxOptions { Seed = 2 });
    }

    public async Task DisposeAsync()
    {
        await _failing.DisposeAsync();
        await _healthy.DisposeAsync();
    }

    [Fact]
    public async Task HttpClient_HostAnswering5xx_OpensItsCircuitWhileTheOtherHostIsStillCalled()
    {
        var breaker = Breaker();
        using var http = new HttpClient(breaker);

        for (var i = 0; i < Throughput; i++)
        {
            using var failed = await http.GetAsync(new Uri(_failing.BaseAddress, "user/balance"));
            ((int)failed.StatusCode).ShouldBeInRange(500, 504);
        }
        var ex = await Should.ThrowAsync<SalvoCircuitOpenException>(() => http.GetAsync(new Uri(_failing.BaseAddress, "user/balance")));
        using var healthy = await http.GetAsync(new Uri(_healthy.BaseAddress, "user/balance"));

        ex.Host.ShouldBe($"127.0.0.1:{_failing.BaseAddress.Port}");
        ex.RetryAfter.ShouldBe(Break);
        ex.HalfOpensAt.ShouldBe(_clock.GetUtcNow() + Break);
        _failing.GetStats().TotalRequests.ShouldBe(Throughput, "the refused call never reached the failing host");
        healthy.StatusCode.ShouldBe(HttpStatusCode.OK);
        breaker.GetState(_healthy.BaseAddress).ShouldBe(CircuitState.Closed);
    }

    [Fact]
    public async Task SalvoClient_HostRecoversAfterTheBreak_TrialClosesTheCircuit()
    {
        // The client's own pipeline, with its breaker at position 6; retries off, so each call is one sample.
        var options = new SalvoClientOptions { BaseAddress = _failing.BaseAddress, TimeProvider = _clock };
        options.Retry.Enabled = false;
        (options.CircuitBreaker.MinimumThroughput, options.CircuitBreaker.BreakDuration) = (Throughput, Break);
        await using var client = new SalvoClient(options);
        for (var i = 0; i < Throughput; i++)
            await Should.ThrowAsync<SalvoHttpException>(() => client.GetStringAsync("user/balance"));

        var refused = await Should.ThrowAsync<SalvoCircuitOpenException>(() => client.GetStringAsync("user/balance"));
        refused.Url.ShouldBe(new Uri(_failing.BaseAddress, "user/balance").ToString());
        refused.HalfOpensAt.ShouldBe(_clock.GetUtcNow() + Break);
        _failing.Options.FaultRate = 0;
        _clock.Advance(Break);
        var body = await client.GetStringAsync("user/balance");

        body.ShouldContain("available");
        _failing.GetStats().TotalRequests.ShouldBe(Throughput + 1, "only the trial reached the host after the break");
        (await client.GetStringAsync("user/balance")).ShouldContain("available");
        _failing.GetStats().TotalRequests.ShouldBe(Throughput + 2, "closed again: calls flow");
    }

    [Fact]
    public async Task SalvoClient_HandlerAsTransport_RefusalSurfacesAsTheTypedError()
    {
        var breaker = Breaker();
        var options = new SalvoClientOptions { BaseAddress = _failing.BaseAddress };
        options.Retry.Enabled = false;
        options.CircuitBreaker.Enabled = false;
        await using var client = new SalvoClient(breaker, options);
        for (var i = 0; i < Throughput; i++)
            await Should.ThrowAsync<SalvoHttpException>(() => client.GetStringAsync("user/balance"));

        var refused = await Should.ThrowAsync<SalvoCircuitOpenException>(() => client.GetStringAsync("user/balance"));

        refused.RetryAfter.ShouldBe(Break);
        breaker.GetState(_failing.BaseAddress).ShouldBe(CircuitState.Open);
        breaker.GetState(_healthy.BaseAddress).ShouldBeNull("no call went there");
    }

    [Fact]
    public async Task HttpClient_HostResettingConnections_OpensItsCircuit()
    {
        await using var resetting = await SandboxServer.StartAsync(new SandboxOptions { ResetRate = 1, Seed = 3 });
        var breaker = Breaker();
        using var http = new HttpClient(breaker);

        for (var i = 0; i < Throughput; i++)
            await Should.ThrowAsync<HttpRequestException>(() => http.GetAsync(new Uri(resetting.BaseAddress, "user/balance")));

        await Should.ThrowAsync<SalvoCircuitOpenException>(() => http.GetAsync(new Uri(resetting.BaseAddress, "user/balance")));
        resetting.GetStats().ConnectionResets.ShouldBe(Throughput);
    }

    [Fact]
    public async Task HttpClient_HostAnswering4xx_KeepsItsCircuitClosed()
    {
        var breaker = Breaker();
        using var http = new HttpClient(breaker);

        for (var i = 0; i < 2 * Throughput; i++)
        {
            using var response = await http.GetAsync(new Uri(_healthy.BaseAddress, i % 2 == 0 ? "status/404" : "status/429"));
            ((int)response.StatusCode).ShouldBeOneOf(404, 429);
        }

        breaker.GetState(_healthy.BaseAddress).ShouldBe(CircuitState.Closed);
        _healthy.GetStats().TotalRequests.ShouldBe(2 * Throughput);
    }

    private CircuitBreakerHandler Breaker() => new(
        new CircuitBreakerOptions { MinimumThroughput = Throughput, FailureRatio = 0.5, BreakDuration = Break },
        _clock)
    {
        InnerHandler = new SocketsHttpHandler(),
    };
}
