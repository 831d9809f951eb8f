using System.Threading.RateLimiting;

namespace Salvo.RateLimiting;

// The PartitionedRateLimiter API, for use outside RateLimitHandler. Each lease is one admitted request; call
// SalvoRateLimitLease.Complete with its response so the limiter learns from the headers.
public sealed partial class SalvoRateLimiter
{
    /// <inheritdoc />
    /// <remarks>
    /// Never waits. A failed lease carries <see cref="MetadataName.RetryAfter"/> (when room is expected) and
    /// <see cref="MetadataName.ReasonPhrase"/>. A <paramref name="permitCount"/> of 0 asks whether one request would be
    /// admitted now, and takes nothing.
    /// </remarks>
    protected override RateLimitLease AttemptAcquireCore(HttpRequestMessage resource, int permitCount)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (permitCount == 0)
            return Peek(resource);
        var status = Acquire(resource, permitCount, TimeSpan.Zero, mayQueue: false, out var admission, out _, out var refusal);
        return status == AcquireStatus.Admitted ? new SalvoRateLimitLease(this, admission) : new SalvoRateLimitLease(refusal);
    }

    /// <inheritdoc />
    /// <remarks>
    /// In <see cref="RateLimitMode.Wait"/> waits in the partition's FIFO line until room comes (bounded only by
    /// <paramref name="cancellationToken"/>); in <see cref="RateLimitMode.Throw"/> it fails at once, unless only a probe's
    /// answer is awaited. A failed lease carries <see cref="MetadataName.RetryAfter"/> when room is expected at all.
    /// A <paramref name="permitCount"/> of 0 does not wait: it asks whether one request would be admitted now.
    /// </remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpRequestMessage resource, int permitCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        cancellationToken.ThrowIfCancellationRequested();
        if (permitCount == 0)
            return Peek(resource);
        var status = Acquire(resource, permitCount, Timeout.InfiniteTimeSpan, mayQueue: true, out var admission, out var waiter, out var refusal);
        if (status == AcquireStatus.Queued)
        {
            admission = await WaitAsync(waiter!, cancellationToken).ConfigureAwait(false);
            status = AcquireStatus.Admitted;
        }
        return status == AcquireStatus.Admitted ? new SalvoRateLimitLease(this, admission) : new SalvoRateLimitLease(refusal);
    }

    private SalvoRateLimitLease Peek(HttpRequestMessage resource)
    {
        ThrowIfDisposed();
        return PartitionFor(resource, out _).AvailablePermits() > 0 ? SalvoRateLimitLease.Empty : SalvoRateLimitLease.EmptyFailed;
    }
}
