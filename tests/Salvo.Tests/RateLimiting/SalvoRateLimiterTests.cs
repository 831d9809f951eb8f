using System.Net;
using System.Threading.RateLimiting;
using Salvo.RateLimiting;
using Salvo.Testing;

namespace Salvo.Tests.RateLimiting;

/// <summary>The <see cref="PartitionedRateLimiter{TResource}"/> face of the limiter, and sharing it between handlers.</summary>
public class SalvoRateLimiterTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void AttemptAcquire_NoRoom_FailedLeaseCarriesRetryAfterAndReason()
    {
        using var limiter = new SalvoRateLimiter(RateLimitKit.Configured("1/1s"), _clock);
        using var lease = (SalvoRateLimitLease)limiter.AttemptAcquire(RateLimitKit.Get("a"));
        lease.IsAcquired.ShouldBeTrue();
        lease.Complete(new HttpResponseMessage(HttpStatusCode.OK));

        using var failed = (SalvoRateLimitLease)limiter.AttemptAcquire(RateLimitKit.Get("b"));

        failed.IsAcquired.ShouldBeFalse();
        failed.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter).ShouldBeTrue();
        ((TimeSpan)retryAfter!).ShouldBe(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(20));
        failed.TryGetMetadata(MetadataName.ReasonPhrase, out var reason).ShouldBeTrue();
        reason!.ShouldContain("api.test");
        failed.MetadataNames.ShouldBe([MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name]);
        failed.Reason.ShouldBe(ThrottleReason.RateLimit);
        limiter.Counters.Throttled.ShouldBe(1);
    }

    [Fact]
    public void AttemptAcquire_ZeroPermits_ChecksWithoutTaking()
    {
        using var limiter = new SalvoRateLimiter(RateLimitKit.Configured("1/1s"), _clock);

        limiter.AttemptAcquire(RateLimitKit.Get("a"), 0).IsAcquired.ShouldBeTrue();
        limiter.AttemptAcquire(RateLimitKit.Get("a"), 0).IsAcquired.ShouldBeTrue();
        using var taken = limiter.AttemptAcquire(RateLimitKit.Get("a"));
        limiter.AttemptAcquire(RateLimitKit.Get("a"), 0).IsAcquired.ShouldBeFalse();
        limiter.GetStatistics(RateLimitKit.Get("a"))!.CurrentAvailablePermits.ShouldBe(0);
    }

    [Fact]
    public void AttemptAcquire_MorePermitsThanAWindowHolds_FailsWithoutRetryAfter()
    {
        using var limiter = new SalvoRateLimiter(RateLimitKit.Configured("3/1s"), _clock);

        using var lease = (SalvoRateLimitLease)limiter.AttemptAcquire(RateLimitKit.Get("a"), 4);

        lease.IsAcquired.ShouldBeFalse();
        lease.TryGetMetadata(MetadataName.RetryAfter, out _).ShouldBeFalse();
        limiter.AttemptAcquire(RateLimitKit.Get("a"), 3).IsAcquired.ShouldBeTrue();
    }

    [Fact]
    public async Task AcquireAsync_NoRoom_WaitsForRoom()
    {
        using var limiter = new SalvoRateLimiter(RateLimitKit.Configured("1/1s"), _clock);
        limiter.AttemptAcquire(RateLimitKit.Get("a")).Dispose();

        var waiting = limiter.AcquireAsync(RateLimitKit.Get("b")).AsTask();
        limiter.GetStatistics(RateLimitKit.Get("b"))!.CurrentQueuedCount.ShouldBe(1);
        waiting.IsCompleted.ShouldBeFalse();
        _clock.Advance(TimeSpan.FromSeconds(1.02));

        using var lease = await waiting;
        lease.IsAcquired.ShouldBeTrue();
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_ThrowsAndLeavesTheLine()
    {
        using var limiter = new SalvoRateLimiter(RateLimitKit.Configured("1/1s"), _clock);
        limiter.AttemptAcquire(RateLimitKit.Get("a")).Dispose();
        using var cts = new CancellationTokenSource();

        var waiting = limiter.AcquireAsync(RateLimitKit.Get("b"), 1, cts.Token).AsTask();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(waiting);
        limiter.Snapshot().Single().Waiting.ShouldBe(0);
    }

    [Fact]
    public async Task AcquireAsync_ThrowMode_FailsAtOnce()
    {
        using var limiter = new SalvoRateLimiter(RateLimitKit.Configured("1/1s", RateLimitMode.Throw), _clock);
        limiter.AttemptAcquire(RateLimitKit.Get("a")).Dispose();

        using var lease = await limiter.AcquireAsync(RateLimitKit.Get("b"));

        lease.IsAcquired.ShouldBeFalse();
    }

    [Fact]
    public void Complete_LearnsFromTheResponse()
    {
        using var limiter = new SalvoRateLimiter(new RateLimitOptions(), _clock);
        var lease = (SalvoRateLimitLease)limiter.AttemptAcquire(RateLimitKit.Get("a"));
        var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("X-App-Rate-Limit", "3:1");
        response.Headers.TryAddWithoutValidation("X-App-Rate-Limit-Count", "1:1");

        lease.Complete(response);
        lease.Complete(response);
        lease.Dispose();

        var partition = limiter.Snapshot().Single();
        partition.LimitsKnown.ShouldBeTrue();
        partition.InFlight.ShouldBe(0);
        partition.Remaining.ShouldBe(2, "completing twice (and disposing after) counts once");
    }

    [Fact]
    public void Dispose_LeaseNotCompleted_ReleasesAsFailedAttempt()
    {
        using var limiter = new SalvoRateLimiter(new RateLimitOptions(), _clock);
        var probe = limiter.AttemptAcquire(RateLimitKit.Get("a"));
        limiter.AttemptAcquire(RateLimitKit.Get("b")).IsAcquired.ShouldBeFalse("one probe at a time");

        probe.Dispose();

        limiter.Snapshot().Single().LimitsKnown.ShouldBeFalse();
        limiter.AttemptAcquire(RateLimitKit.Get("b")).IsAcquired.ShouldBeTrue("the next request probes");
    }

    [Fact]
    public async Task Handlers_SharingOneLimiter_DrawFromTheSameWindows()
    {
        using var limiter = new SalvoRateLimiter(RateLimitKit.Configured("1/1s"), _clock);
        var server = new AnswerAtOnce();
        using var first = new HttpMessageInvoker(new RateLimitHandler(limiter) { InnerHandler = server });
        using var second = new HttpMessageInvoker(new RateLimitHandler(new RateLimitOptions { Limiter = limiter }) { InnerHandler = server });

        await first.SendAsync(RateLimitKit.Get("a"), CancellationToken.None);
        var waiting = second.SendAsync(RateLimitKit.Get("b"), CancellationToken.None);
        waiting.IsCompleted.ShouldBeFalse();
        _clock.Advance(TimeSpan.FromSeconds(1.02));
        await waiting;

        first.Dispose();
        second.Dispose();
        limiter.AttemptAcquire(RateLimitKit.Get("c"), 0).ShouldNotBeNull("handlers do not dispose a shared limiter");
    }

    [Fact]
    public void Handler_OwnLimiter_IsDisposedWithIt()
    {
        var handler = new RateLimitHandler(RateLimitKit.Configured("1/1s"), _clock);
        var limiter = handler.Limiter!;

        handler.Dispose();

        Should.Throw<ObjectDisposedException>(() => limiter.AttemptAcquire(RateLimitKit.Get("a")));
    }

    [Fact]
    public void Constructor_OptionsWithLimiter_Throws()
    {
        using var shared = new SalvoRateLimiter(RateLimitKit.Configured("1/1s"));

        Should.Throw<ArgumentException>(() => new SalvoRateLimiter(new RateLimitOptions { Limiter = shared }));
    }
}
