using System.Threading.RateLimiting;
using Salvo.ConcurrencyLimiting;
using Salvo.Testing;

namespace Salvo.Tests.ConcurrencyLimiting;

public class AdaptiveConcurrencyLimiterTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void AttemptAcquire_UpToTheLimit_ThenFails()
    {
        using var limiter = Create(maxQueue: 0);

        using var one = limiter.AttemptAcquire();
        using var two = limiter.AttemptAcquire();
        using var three = limiter.AttemptAcquire();

        one.IsAcquired.ShouldBeTrue();
        two.IsAcquired.ShouldBeTrue();
        three.IsAcquired.ShouldBeFalse("the first window probes at the minimum, 2");
        limiter.GetStatistics()!.ShouldSatisfyAllConditions(
            s => s.CurrentAvailablePermits.ShouldBe(0),
            s => s.TotalSuccessfulLeases.ShouldBe(2));
    }

    [Fact]
    public async Task AcquireAsync_Full_WaitsInArrivalOrder()
    {
        using var limiter = Create();
        var one = limiter.AttemptAcquire();
        var two = limiter.AttemptAcquire();

        var third = limiter.AcquireAsync().AsTask();
        var fourth = limiter.AcquireAsync().AsTask();
        limiter.Queued.ShouldBe(2);
        third.IsCompleted.ShouldBeFalse();

        one.Dispose();
        using var lease3 = await third.WaitAsync(TimeSpan.FromSeconds(10));
        lease3.IsAcquired.ShouldBeTrue();
        fourth.IsCompleted.ShouldBeFalse();
        two.Dispose();
        using var lease4 = await fourth.WaitAsync(TimeSpan.FromSeconds(10));
        lease4.IsAcquired.ShouldBeTrue();
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_ThrowsAndLeavesTheLine()
    {
        using var limiter = Create();
        using var one = limiter.AttemptAcquire();
        using var two = limiter.AttemptAcquire();
        using var cts = new CancellationTokenSource();

        var waiting = limiter.AcquireAsync(1, cts.Token).AsTask();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(waiting);
        limiter.Queued.ShouldBe(0);
    }

    [Fact]
    public async Task AcquireAsync_QueueFull_FailedLeaseCarriesRetryAfter()
    {
        using var limiter = Create(maxQueue: 0);
        var warm = limiter.AttemptAcquire();
        _clock.Advance(TimeSpan.FromMilliseconds(40));
        warm.Dispose();
        using var one = limiter.AttemptAcquire();
        using var two = limiter.AttemptAcquire();

        using var failed = await limiter.AcquireAsync();

        failed.IsAcquired.ShouldBeFalse();
        failed.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter).ShouldBeTrue();
        retryAfter.TotalMilliseconds.ShouldBe(40, 0.01);
        failed.MetadataNames.ShouldBe([MetadataName.RetryAfter.Name]);
    }

    [Fact]
    public void Lease_DisposedWithDroppedOutcome_LowersTheLimitOnce()
    {
        using var limiter = Create();
        var lease = (AdaptiveConcurrencyLease)limiter.AttemptAcquire();
        _clock.Advance(TimeSpan.FromMilliseconds(10));

        lease.Outcome = ConcurrencyOutcome.Dropped;
        lease.Dispose();
        lease.Dispose();

        limiter.Algorithm.Estimate.ShouldBe(10 * AdaptiveLimitOptions.DefaultBackoffRatio, 1e-9);
        limiter.InFlight.ShouldBe(0);
    }

    [Fact]
    public void Lease_Completed_IsALatencySample()
    {
        using var limiter = Create();

        for (var i = 0; i < AdaptiveLimitOptions.DefaultSampleCount; i++)
        {
            using var lease = limiter.AttemptAcquire();
            _clock.Advance(TimeSpan.FromMilliseconds(25));
        }

        limiter.Algorithm.IsProbing.ShouldBeFalse();
        limiter.Algorithm.MinRtt!.Value.TotalMilliseconds.ShouldBe(25, 0.01);
        limiter.Limit.ShouldBe(10);
    }

    [Fact]
    public async Task Dispose_FailsWaiters()
    {
        var limiter = Create();
        using var one = limiter.AttemptAcquire();
        using var two = limiter.AttemptAcquire();
        var waiting = limiter.AcquireAsync().AsTask();

        limiter.Dispose();

        await Should.ThrowAsync<ObjectDisposedException>(waiting);
    }

    [Fact]
    public void Acquire_MoreThanOnePermit_Throws()
    {
        using var limiter = Create();

        Should.Throw<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(2));
        Should.Throw<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(0));
    }

    [Fact]
    public void IdleDuration_NullWhileBusy_GrowsWhenIdle()
    {
        using var limiter = Create();
        var lease = limiter.AttemptAcquire();
        limiter.IdleDuration.ShouldBeNull();

        lease.Dispose();
        _clock.Advance(TimeSpan.FromSeconds(3));

        limiter.IdleDuration!.Value.TotalSeconds.ShouldBe(3, 0.001);
    }

    private AdaptiveConcurrencyLimiter Create(int? maxQueue = null) => new(new AdaptiveLimit(2, 50, 10, timeProvider: _clock), maxQueue);
}
