using System.Net;
using System.Threading.RateLimiting;
using Salvo.ConcurrencyLimiting;
using Salvo.Testing;

namespace Salvo.Tests.ConcurrencyLimiting;

public class UserRateLimiterTests
{
    [Fact]
    public async Task SendAsync_UserLimiterFull_ThrowsThrottledAndReturnsThePermit()
    {
        using var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 0 });
        using var kit = new LimiterTestKit(new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Fixed, Limiter = limiter });
        var holder = kit.SendAsync("holder");
        var held = await kit.Held.NextAsync();

        var ex = await Should.ThrowAsync<SalvoThrottledException>(kit.SendAsync("rejected"));

        ex.Reason.ShouldBe(ThrottleReason.ConcurrencyLimit);
        ex.Partition.ShouldBeNull();
        kit.Held.Arrived.ShouldBe(1);
        held.Respond();
        await holder;
        limiter.GetStatistics()!.CurrentAvailablePermits.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_UserLimiterQueue_WaitIsBoundedByTheBudget()
    {
        using var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 10 });
        using var kit = new LimiterTestKit(new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Fixed, Limiter = limiter });
        var holder = kit.SendAsync("holder");
        var held = await kit.Held.NextAsync();
        var waiting = kit.SendWithBudgetAsync("waiting", TimeSpan.FromSeconds(1));
        limiter.GetStatistics()!.CurrentQueuedCount.ShouldBe(1);

        kit.Clock.Advance(TimeSpan.FromSeconds(1));

        await Should.ThrowAsync<SalvoThrottledException>(waiting);
        held.Respond();
        await holder;
        limiter.GetStatistics()!.CurrentAvailablePermits.ShouldBe(1);
    }

    [Fact]
    public async Task Send_UserLimiter_SynchronousPathReturnsThePermit()
    {
        using var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 0 });
        using var kit = new LimiterTestKit(new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Fixed, Limiter = limiter });
        var call = Task.Run(() => kit.Invoker.Send(LimiterTestKit.Get("sync"), CancellationToken.None));

        (await kit.Held.NextAsync()).Respond(HttpStatusCode.NoContent);

        (await call).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        limiter.GetStatistics()!.CurrentAvailablePermits.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_SharedAdaptiveLimiter_LearnsFromEveryClient()
    {
        var clock = new FakeTimeProvider();
        using var limiter = new AdaptiveConcurrencyLimiter(new AdaptiveLimit(2, 50, 10, timeProvider: clock));
        var options = new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Adaptive, Limiter = limiter };
        using var one = new LimiterTestKit(options, clock: clock);
        using var two = new LimiterTestKit(options, clock: clock);

        var a = one.SendAsync("a");
        var b = two.SendAsync("b");
        limiter.InFlight.ShouldBe(2);
        var c = one.SendAsync("c");
        limiter.Queued.ShouldBe(1, "the probe pins the shared limit to 2");
        (await one.Held.NextAsync()).Respond(); // frees a slot for c, queued through the other client
        (await two.Held.NextAsync()).Respond(HttpStatusCode.ServiceUnavailable);
        (await one.Held.NextAsync()).Respond();
        await Task.WhenAll(a, b, c);

        limiter.Algorithm.Estimate.ShouldBe(10 * AdaptiveLimitOptions.DefaultBackoffRatio, 1e-9, "a 503 seen by the second client lowers the limit the first one uses too");
        limiter.InFlight.ShouldBe(0);
    }
}
