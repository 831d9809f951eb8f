using System.Net;
using System.Threading.RateLimiting;
using Salvo.RateLimiting;
using Salvo.Testing;

namespace Salvo.Tests.RateLimiting;

/// <summary>A limiter of the user's own (<see cref="RateLimitOptions.Limiter"/>) behind the handler.</summary>
public class UserRateLimiterTests
{
    [Fact]
    public async Task SendAsync_UserLimiter_LeaseHeldUntilHeadersAndQueueFullThrows()
    {
        using var user = PartitionedRateLimiter.Create<HttpRequestMessage, string>(r =>
            RateLimitPartition.GetConcurrencyLimiter(r.RequestUri!.Host, _ => new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 1 }));
        using var kit = new RateLimitKit(new RateLimitOptions { Limiter = user });
        kit.Handler.Limiter.ShouldBeNull();

        var first = kit.SendAsync("a");
        var held = await kit.Server.NextAsync();
        var queued = kit.SendAsync("b");
        var ex = await Should.ThrowAsync<SalvoThrottledException>(kit.SendAsync("c"));
        ex.Reason.ShouldBe(ThrottleReason.RateLimit);
        ex.RetryAfter.ShouldBeNull();

        held.Respond();
        await first;
        (await kit.Server.NextAsync()).Path.ShouldBe("/b");
        queued.IsCompleted.ShouldBeFalse();
        user.AttemptAcquire(RateLimitKit.Get("x")).IsAcquired.ShouldBeFalse("b's lease is held until its headers arrive");
    }

    [Fact]
    public async Task SendAsync_UserLimiterRefusesWithRetryAfter_WaitsThatLongWithinBudget()
    {
        var clock = new FakeTimeProvider();
        using var user = new RefusingLimiter(refusals: 3, TimeSpan.FromSeconds(1));
        var server = new AnswerAtOnce();
        using var kit = new RateLimitKit(new RateLimitOptions { Limiter = user }, server, clock);

        var call = kit.SendWithBudgetAsync("a", TimeSpan.FromSeconds(10));
        await RateLimitWaitTests.PollAsync(() => user.Attempts == 2);
        call.IsCompleted.ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));
        await RateLimitWaitTests.PollAsync(() => user.Attempts == 3);
        call.IsCompleted.ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));

        (await call).StatusCode.ShouldBe(HttpStatusCode.OK);
        user.Attempts.ShouldBe(4, "an attempt, a queued acquire, then one acquire after each wait");
    }

    [Fact]
    public async Task SendAsync_UserLimiterRetryAfterOverBudget_Throws()
    {
        using var user = new RefusingLimiter(refusals: 5, TimeSpan.FromSeconds(30));
        var server = new AnswerAtOnce();
        using var kit = new RateLimitKit(new RateLimitOptions { Limiter = user }, server);

        var ex = await Should.ThrowAsync<SalvoThrottledException>(kit.SendWithBudgetAsync("a", TimeSpan.FromSeconds(10)));

        ex.RetryAfter.ShouldBe(TimeSpan.FromSeconds(30));
        server.Count.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_UserLimiterThrowMode_ThrowsAtOnce()
    {
        using var user = new RefusingLimiter(refusals: 1, TimeSpan.FromSeconds(1));
        using var kit = new RateLimitKit(new RateLimitOptions { Limiter = user, Mode = RateLimitMode.Throw }, new AnswerAtOnce());

        (await Should.ThrowAsync<SalvoThrottledException>(kit.SendAsync("a"))).RetryAfter.ShouldBe(TimeSpan.FromSeconds(1));
        user.Attempts.ShouldBe(1);
    }

    [Fact]
    public void Send_SynchronousUserLimiter_AcquiresAndReleases()
    {
        using var user = PartitionedRateLimiter.Create<HttpRequestMessage, int>(_ =>
            RateLimitPartition.GetConcurrencyLimiter(0, _ => new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 0 }));
        using var kit = new RateLimitKit(new RateLimitOptions { Limiter = user }, new AnswerAtOnce());

        kit.Invoker.Send(RateLimitKit.Get("a"), CancellationToken.None).StatusCode.ShouldBe(HttpStatusCode.OK);
        kit.Invoker.Send(RateLimitKit.Get("b"), CancellationToken.None).StatusCode.ShouldBe(HttpStatusCode.OK);
        user.AttemptAcquire(RateLimitKit.Get("c")).IsAcquired.ShouldBeTrue("each lease was released when its response arrived");
    }

    /// <summary>Refuses the first few acquisitions with a Retry-After, then grants; never queues.</summary>
    private sealed class RefusingLimiter(int refusals, TimeSpan retryAfter) : PartitionedRateLimiter<HttpRequestMessage>
    {
        private int _attempts;

        public int Attempts => _attempts;

        public override RateLimiterStatistics? GetStatistics(HttpRequestMessage resource) => null;

        protected override RateLimitLease AttemptAcquireCore(HttpRequestMessage resource, int permitCount) => Next();

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpRequestMessage resource, int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Next());

        private RateLimitLease Next() => Interlocked.Increment(ref _attempts) <= refusals ? new Lease(false, retryAfter) : new Lease(true, null);

        private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
        {
            public override bool IsAcquired => acquired;

            public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

            public override bool TryGetMetadata(string metadataName, out object? metadata)
            {
                metadata = retryAfter;
                return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
            }
        }
    }
}
