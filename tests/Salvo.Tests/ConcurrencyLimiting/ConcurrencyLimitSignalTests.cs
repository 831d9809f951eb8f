using System.Net;
using Microsoft.Extensions.Logging;
using Salvo.ConcurrencyLimiting;
using Salvo.Tests.Support;

namespace Salvo.Tests.ConcurrencyLimiting;

/// <summary>What the adaptive limit learns from each way a request can end.</summary>
public class ConcurrencyLimitSignalTests
{
    private const double Initial = ConcurrencyLimitOptions.DefaultInitialLimit;
    private const double Decreased = Initial * AdaptiveLimitOptions.DefaultBackoffRatio;

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, null, Decreased)]
    [InlineData(HttpStatusCode.TooManyRequests, "service", Decreased)]
    [InlineData(HttpStatusCode.TooManyRequests, "SERVICE", Decreased)]
    [InlineData(HttpStatusCode.TooManyRequests, null, Initial)]
    [InlineData(HttpStatusCode.TooManyRequests, "application", Initial)]
    [InlineData(HttpStatusCode.TooManyRequests, "method", Initial)]
    [InlineData(HttpStatusCode.NotFound, null, Initial)]
    [InlineData(HttpStatusCode.BadRequest, null, Initial)]
    [InlineData(HttpStatusCode.InternalServerError, null, Initial)]
    [InlineData(HttpStatusCode.OK, null, Initial)]
    public async Task Response_Status_DecreasesOnlyOnOverload(HttpStatusCode status, string? rateLimitType, double expected)
    {
        using var kit = Adaptive();

        var call = kit.SendAsync("x");
        (await kit.Held.NextAsync()).Respond(status, rateLimitType);
        await call;

        kit.Gate.Adaptive!.Estimate.ShouldBe(expected, 1e-9);
        kit.Gate.InFlight.ShouldBe(0);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    public async Task Response_Served_IsALatencySampleButQuotaIsNot(HttpStatusCode status, bool stillProbing)
    {
        using var kit = Adaptive();

        for (var i = 0; i < AdaptiveLimitOptions.DefaultSampleCount; i++)
        {
            var call = kit.SendAsync($"x{i}");
            kit.Clock.Advance(TimeSpan.FromMilliseconds(5));
            (await kit.Held.NextAsync()).Respond(status);
            await call;
        }

        // The first window measures the baseline: only latency samples complete it.
        kit.Gate.Adaptive!.IsProbing.ShouldBe(stillProbing);
        if (stillProbing)
            kit.Gate.Adaptive.MinRtt.ShouldBeNull();
        else
            kit.Gate.Adaptive.MinRtt!.Value.TotalMilliseconds.ShouldBe(5, 0.001);
    }

    [Fact]
    public async Task Failure_SalvoAttemptTimeout_Decreases()
    {
        using var kit = Adaptive();

        var call = kit.SendAsync("x");
        (await kit.Held.NextAsync()).Fail(new SalvoTimeoutException(TimeoutBudget.Attempt, TimeSpan.FromSeconds(1)));
        await Should.ThrowAsync<SalvoTimeoutException>(call);

        kit.Gate.Adaptive!.Estimate.ShouldBe(Decreased, 1e-9);
    }

    [Fact]
    public async Task Failure_BudgetRunsOutInFlight_Decreases()
    {
        using var kit = Adaptive();

        var call = kit.SendWithBudgetAsync("x", TimeSpan.FromSeconds(1));
        await kit.Held.NextAsync();
        kit.Clock.Advance(TimeSpan.FromSeconds(1));
        await Should.ThrowAsync<OperationCanceledException>(call);

        kit.Gate.Adaptive!.Estimate.ShouldBe(Decreased, 1e-9);
    }

    [Fact]
    public async Task Failure_CancellationNotAskedForByCaller_Decreases()
    {
        using var kit = Adaptive();

        var call = kit.SendAsync("x");
        (await kit.Held.NextAsync()).Fail(new TaskCanceledException("a user transport's own timeout", new TimeoutException()));
        await Should.ThrowAsync<TaskCanceledException>(call);

        kit.Gate.Adaptive!.Estimate.ShouldBe(Decreased, 1e-9);
    }

    [Fact]
    public async Task Failure_CallerCancels_IsIgnored()
    {
        using var kit = Adaptive();
        using var cts = new CancellationTokenSource();

        var call = kit.SendWithBudgetAsync("x", TimeSpan.FromSeconds(30), cts.Token);
        await kit.Held.NextAsync();
        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(call);

        kit.Gate.Adaptive!.Estimate.ShouldBe(Initial);
        kit.Gate.InFlight.ShouldBe(0);
    }

    [Fact]
    public async Task Failure_ConnectionError_IsIgnored()
    {
        using var kit = Adaptive();

        var call = kit.SendAsync("x");
        (await kit.Held.NextAsync()).Fail(new HttpRequestException(HttpRequestError.ConnectionError, "refused"));
        await Should.ThrowAsync<HttpRequestException>(call);

        kit.Gate.Adaptive!.Estimate.ShouldBe(Initial);
    }

    [Fact]
    public async Task Overload_BurstOfDrops_DecreasesOnceAndLogsOnce()
    {
        var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var clock = new Salvo.Testing.FakeTimeProvider();
        var held = new HeldTransport();
        using var handler = new ConcurrencyLimitHandler(new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Adaptive }, clock, factory.CreateLogger("limit")) { InnerHandler = held };
        using var invoker = new HttpMessageInvoker(handler);
        var gate = () => handler.Partitions!.Gates.Single();
        for (var i = 0; i < AdaptiveLimitOptions.DefaultSampleCount; i++)
        {
            var probe = invoker.SendAsync(LimiterTestKit.Get($"probe{i}"), CancellationToken.None);
            clock.Advance(TimeSpan.FromMilliseconds(10));
            (await held.NextAsync()).Respond();
            (await probe).Dispose();
        }
        gate().Limit.ShouldBe((int)Initial, "the first probe is over");

        // A whole limit's worth sent together and shed together: one overload episode.
        var calls = Enumerable.Range(0, (int)Initial).Select(i => invoker.SendAsync(LimiterTestKit.Get($"x{i}"), CancellationToken.None)).ToArray();
        clock.Advance(TimeSpan.FromMilliseconds(10));
        for (var i = 0; i < calls.Length; i++)
            (await held.NextAsync()).Respond(HttpStatusCode.ServiceUnavailable);
        await Task.WhenAll(calls);

        gate().Adaptive!.Estimate.ShouldBe(Decreased, 1e-9);
        logs.Lines.Count(l => l.Contains($"902:Concurrency limit for api.test lowered from {(int)Initial} to {(int)Decreased}", StringComparison.Ordinal)).ShouldBe(1);
        logs.Lines.Count(l => l.Contains("902:", StringComparison.Ordinal)).ShouldBe(1);
        gate().InFlight.ShouldBe(0);
    }

    private static LimiterTestKit Adaptive() => new(new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Adaptive });
}
