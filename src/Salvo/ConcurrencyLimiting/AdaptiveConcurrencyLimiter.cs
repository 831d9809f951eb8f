using System.Threading.RateLimiting;

namespace Salvo.ConcurrencyLimiting;

/// <summary>
/// A concurrency limiter whose limit is learned by an <see cref="AdaptiveLimit"/>, as a <see cref="RateLimiter"/>: use it
/// wherever a <see cref="RateLimiter"/> fits (ASP.NET Core rate limiting, Polly's rate limiter strategy, a
/// <see cref="PartitionedRateLimiter"/>), or share one between clients through <see cref="ConcurrencyLimitOptions.Limiter"/>.
/// </summary>
/// <remarks>
/// <para>Each lease is one request. The time from acquiring the lease to disposing it is the request's round trip; set
/// <see cref="AdaptiveConcurrencyLease.Outcome"/> before disposing to report an overload signal (or that the request says
/// nothing about load). Waiting acquirers are served in FIFO order, and a freed permit always goes to the oldest waiter.</para>
/// <para>Only one permit per lease is supported: a concurrency permit stands for one request in flight, and its round trip
/// is one latency sample.</para>
/// </remarks>
public sealed class AdaptiveConcurrencyLimiter : RateLimiter
{
    private static readonly AdaptiveConcurrencyLease FailedLease = new(null, 0, null);

    /// <summary>Creates the limiter.</summary>
    /// <param name="limit">The algorithm (and its clock); owned by this limiter from now on.</param>
    /// <param name="maxQueue">The most acquirers waiting at once; <see langword="null"/> for no bound other than their cancellation.</param>
    public AdaptiveConcurrencyLimiter(AdaptiveLimit limit, int? maxQueue = null)
    {
        ArgumentNullException.ThrowIfNull(limit);
        if (maxQueue is { } max)
            ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(maxQueue));
        Gate = new ConcurrencyGate(PartitionKey.Shared, null, limit.Limit, limit, maxQueue, limit.TimeProvider);
    }

    /// <summary>The algorithm that sets the limit.</summary>
    public AdaptiveLimit Algorithm => Gate.Adaptive!;

    /// <summary>The number of requests that may be in flight now.</summary>
    public int Limit => Gate.Limit;

    /// <summary>The number of leases held now.</summary>
    public int InFlight => Gate.InFlight;

    /// <summary>The number of acquirers waiting now.</summary>
    public int Queued => Gate.Queued;

    /// <inheritdoc />
    public override TimeSpan? IdleDuration => Gate.IdleDuration;

    internal ConcurrencyGate Gate { get; }

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics() => new()
    {
        CurrentAvailablePermits = Math.Max(0, Gate.Limit - Gate.InFlight),
        CurrentQueuedCount = Gate.Queued,
        TotalSuccessfulLeases = Gate.Granted,
        TotalFailedLeases = Gate.Rejected,
    };

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        CheckPermitCount(permitCount);
        return Gate.TryEnter() ? Lease() : Failed();
    }

    /// <inheritdoc />
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        CheckPermitCount(permitCount);
        cancellationToken.ThrowIfCancellationRequested();
        var status = Gate.Enter(out var waiter);
        if (status == GateStatus.Queued)
            status = await Gate.WaitAsync(waiter!, cancellationToken).ConfigureAwait(false);
        return status switch
        {
            GateStatus.Entered => Lease(),
            GateStatus.Cancelled => throw new OperationCanceledException(cancellationToken),
            GateStatus.Disposed => throw new ObjectDisposedException(nameof(AdaptiveConcurrencyLimiter)),
            _ => Failed(),
        };
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Gate.Dispose();
        base.Dispose(disposing);
    }

    private AdaptiveConcurrencyLease Lease() => new(Gate, Gate.TimeProvider.GetTimestamp(), null);

    private AdaptiveConcurrencyLease Failed() => Gate.EstimateWait() is { } wait ? new AdaptiveConcurrencyLease(null, 0, wait) : FailedLease;

    private static void CheckPermitCount(int permitCount)
    {
        if (permitCount != 1)
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, "An adaptive concurrency lease is one request: acquire exactly 1 permit.");
    }
}
