using System.Net;
using Salvo.ConcurrencyLimiting;
using Salvo.Sandbox;
using Xunit.Abstractions;

namespace Salvo.FunctionalTests.ConcurrencyLimiting;

/// <summary>
/// The limits against the Sandbox's capacity knee: above <see cref="SandboxOptions.Capacity"/> in flight the server slows
/// down in proportion, above twice it sheds with 503. Real time with small latencies; only server-side facts are asserted.
/// </summary>
public sealed class AdaptiveConcurrencyTests(ITestOutputHelper output)
{
    private const int Capacity = 8;
    private const int Callers = 100;
    private const int CallsPerCaller = 30;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task Adaptive_HundredCallers_SettlesNearTheKneeWhereUnlimitedIsShed()
    {
        await using var sandbox = await StartAsync();

        var (unlimited, _) = await RunAsync(sandbox, new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Off });
        var (adaptive, limit) = await RunAsync(sandbox, new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Adaptive });

        output.WriteLine($"unlimited: {Describe(unlimited)}");
        output.WriteLine($"adaptive:  {Describe(adaptive)}; limit at the end {limit}");
        unlimited.ServiceUnavailable503.ShouldBeGreaterThan(unlimited.TotalRequests / 2, "without a limit, 100 callers overrun a capacity of 8");
        adaptive.TotalRequests.ShouldBe(Callers * CallsPerCaller, "every call was sent once: none was held back past its budget");
        adaptive.ServiceUnavailable503.ShouldBeLessThanOrEqualTo(adaptive.TotalRequests / 100, "the adaptive limit keeps 503s at or under 1%");
        limit.ShouldBeInRange(Capacity, 2 * Capacity, "above the knee only latency grows; beyond twice it the server sheds");
    }

    [Fact]
    public async Task Fixed_AtCapacity_NeverOverrunsTheServer()
    {
        await using var sandbox = await StartAsync();

        var (stats, _) = await RunAsync(sandbox, new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Fixed, Limit = Capacity });

        output.WriteLine($"fixed {Capacity}: {Describe(stats)}");
        stats.ServiceUnavailable503.ShouldBe(0);
        stats.MaxInFlight.ShouldBeLessThanOrEqualTo(Capacity + 2, "the server may still count a request or two whose responses the client already has");
        stats.TotalRequests.ShouldBe(Callers * CallsPerCaller);
    }

    private static Task<SandboxServer> StartAsync() => SandboxServer.StartAsync(new SandboxOptions
    {
        Capacity = Capacity,
        Latency = SandboxLatency.Fixed(Latency),
    });

    private static async Task<(SandboxStats Stats, int Limit)> RunAsync(SandboxServer sandbox, ConcurrencyLimitOptions options)
    {
        sandbox.ResetStats();
        using var limiter = new ConcurrencyLimitHandler(options) { InnerHandler = new SocketsHttpHandler() };
        // The limit alone: no retries (each call is sent once) and no circuit breaker (503s reach the caller as responses).
        var clientOptions = new SalvoClientOptions { BaseAddress = sandbox.BaseAddress };
        clientOptions.Retry.Enabled = false;
        clientOptions.CircuitBreaker.Enabled = false;
        await using (var client = new SalvoClient(limiter, clientOptions))
        {
            var callers = Enumerable.Range(0, Callers).Select(async _ =>
            {
                for (var i = 0; i < CallsPerCaller; i++)
                {
                    using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "user/balance"));
                    response.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable);
                }
            });
            await Task.WhenAll(callers);
        }
        return (sandbox.GetStats(), limiter.Partitions?.Gates.Single().Limit ?? 0);
    }

    private static string Describe(SandboxStats s) =>
        $"{s.TotalRequests} requests, {s.ServiceUnavailable503} answered 503 ({100.0 * s.ServiceUnavailable503 / Math.Max(1, s.TotalRequests):0.00}%), at most {s.MaxInFlight} in flight";
}
