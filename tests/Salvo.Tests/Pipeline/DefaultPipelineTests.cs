using System.Net;
using Microsoft.Extensions.Options;
using Salvo.Auth;
using Salvo.ConcurrencyLimiting;
using Salvo.Pipeline;
using Salvo.RateLimiting;
using Salvo.Resilience;
using Salvo.Telemetry;
using Salvo.Tests.Support;

namespace Salvo.Tests.Pipeline;

/// <summary>What <see cref="SalvoPipelineBuilder.CreateDefault"/> composes from the options, and in which order.</summary>
public class DefaultPipelineTests
{
    private static Type[] Stages(SalvoClientOptions options) =>
        SalvoPipelineBuilder.CreateDefault(options).CreateHandlers().Select(h => h.GetType()).ToArray();

    [Fact]
    public void CreateDefault_Defaults_EveryDefaultStageInDesignOrder()
    {
        Stages(new SalvoClientOptions()).ShouldBe(
        [
            typeof(TelemetryHandler), typeof(TimeoutHandler), typeof(RetryHandler), typeof(HedgingHandler),
            typeof(CircuitBreakerHandler), typeof(RateLimitHandler), typeof(TimeoutHandler),
        ]);
    }

    [Fact]
    public void CreateDefault_ConcurrencyLimitOn_SitsBetweenTheRateLimiterAndTheAttemptBudget()
    {
        var options = new SalvoClientOptions();
        options.ConcurrencyLimit.Mode = ConcurrencyLimitMode.Adaptive;

        var stages = Stages(options);

        stages[^3].ShouldBe(typeof(RateLimitHandler));
        stages[^2].ShouldBe(typeof(ConcurrencyLimitHandler));
        stages[^1].ShouldBe(typeof(TimeoutHandler));
    }

    [Fact]
    public void CreateDefault_Auth_SitsInsideTheBreakerAndOutsideTheRateLimiter()
    {
        using var auth = SalvoAuth.Bearer("t");
        var options = new SalvoClientOptions { Auth = auth };

        var stages = Stages(options);

        stages[^4].ShouldBe(typeof(CircuitBreakerHandler));
        stages[^3].ShouldBe(typeof(AuthHandler));
        stages[^2].ShouldBe(typeof(RateLimitHandler));
    }

    [Fact]
    public void CreateDefault_BreakerAndRateLimiterOff_LeftOut()
    {
        var options = new SalvoClientOptions();
        options.CircuitBreaker.Enabled = false;
        options.RateLimit.Enabled = false;

        Stages(options).ShouldBe([typeof(TelemetryHandler), typeof(TimeoutHandler), typeof(RetryHandler), typeof(HedgingHandler), typeof(TimeoutHandler)]);
    }

    [Fact]
    public void CreateDefault_EachBuild_NewHandlersWithTheirOwnState()
    {
        var builder = SalvoPipelineBuilder.CreateDefault(new SalvoClientOptions());

        var first = builder.CreateHandlers();
        var second = builder.CreateHandlers();

        first.Zip(second).ShouldAllBe(pair => !ReferenceEquals(pair.First, pair.Second));
    }

    [Fact]
    public void SalvoClient_InvalidNestedOptions_ListsEveryProblemWithItsSection()
    {
        var options = new SalvoClientOptions();
        options.Retry.MaxRetries = -1;
        options.CircuitBreaker.FailureRatio = 2;
        options.Hedging.BudgetRatio = -0.5;
        options.RateLimit.Limits = "lots";
        options.ConcurrencyLimit.Limit = 0;

        var ex = Should.Throw<OptionsValidationException>(() => new SalvoClient(new StubHandler(_ => new HttpResponseMessage()), options));

        ex.Failures.ShouldContain(f => f.StartsWith("Retry.MaxRetries", StringComparison.Ordinal));
        ex.Failures.ShouldContain(f => f.StartsWith("CircuitBreaker.FailureRatio", StringComparison.Ordinal));
        ex.Failures.ShouldContain(f => f.StartsWith("Hedging.BudgetRatio", StringComparison.Ordinal));
        ex.Failures.ShouldContain(f => f.StartsWith("RateLimit.Limits", StringComparison.Ordinal));
        ex.Failures.ShouldContain(f => f.StartsWith("ConcurrencyLimit.Limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SalvoClient_ConfiguredRateLimit_HoldsTheCallBackBeforeTheServerSeesIt()
    {
        var sent = 0;
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") };
        options.RateLimit.Limits = "2/1m";
        options.RateLimit.Mode = RateLimitMode.Throw;
        options.Retry.Enabled = false;
        await using var client = new SalvoClient(new StubHandler(_ =>
        {
            Interlocked.Increment(ref sent);
            return StubHandler.JsonResponse("{}");
        }), options);

        await client.GetBytesAsync("a");
        await client.GetBytesAsync("b");
        var ex = await Should.ThrowAsync<SalvoThrottledException>(() => client.GetBytesAsync("c"));

        ex.Reason.ShouldBe(ThrottleReason.RateLimit);
        ex.RetryAfter.ShouldNotBeNull();
        ex.Partition.ShouldBe("api.test");
        sent.ShouldBe(2, "the third call was never sent");
    }

    [Fact]
    public async Task SalvoClient_ServerFailsEveryCall_BreakerOpensAndFailsFastWithoutSending()
    {
        var sent = 0;
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") };
        options.Retry.Enabled = false;
        options.RateLimit.Enabled = false;
        options.CircuitBreaker.MinimumThroughput = 4;
        await using var client = new SalvoClient(new StubHandler(_ =>
        {
            Interlocked.Increment(ref sent);
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }), options);

        for (var i = 0; i < 4; i++)
            await Should.ThrowAsync<SalvoHttpException>(() => client.GetBytesAsync("x"));
        var ex = await Should.ThrowAsync<SalvoCircuitOpenException>(() => client.GetBytesAsync("x"));

        sent.ShouldBe(4, "the open circuit failed the fifth call without sending it");
        ex.Host.ShouldBe("api.test");
        ex.RetryAfter.ShouldNotBeNull();
        ex.RetryAfter!.Value.ShouldBeInRange(TimeSpan.Zero, options.CircuitBreaker.BreakDuration);
    }
}
