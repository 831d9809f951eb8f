using Microsoft.Extensions.Logging;
using Salvo.Http;
using Salvo.Pipeline;

namespace Salvo.RateLimiting;

// The path RateLimitHandler takes: admissions are structs and waiters are awaited directly, so a request that finds
// room allocates nothing here. The PartitionedRateLimiter API (leases) is built on the same calls.
public sealed partial class SalvoRateLimiter
{
    /// <summary>
    /// Admits the request now (<see cref="AcquireStatus.Admitted"/>, with <paramref name="admission"/>), queues it
    /// (<see cref="AcquireStatus.Queued"/>: await <paramref name="waiter"/>), or holds it back
    /// (<see cref="AcquireStatus.Rejected"/>, with <paramref name="refusal"/>). <paramref name="maxWait"/> bounds the wait
    /// it may queue for (<see cref="Timeout.InfiniteTimeSpan"/> for none); <paramref name="mayQueue"/> off never queues.
    /// </summary>
    internal AcquireStatus Acquire(
        HttpRequestMessage request, int permits, TimeSpan maxWait, bool mayQueue, out Admission admission, out Waiter? waiter, out Refusal refusal) =>
        Acquire(request, permits, maxWait, null, mayQueue, out admission, out waiter, out refusal, out _);

    /// <inheritdoc cref="Acquire(HttpRequestMessage, int, TimeSpan, bool, out Admission, out Waiter?, out Refusal)"/>
    /// <remarks>
    /// With <paramref name="budget"/>, the longest wait is what is left of it on the clock reading the decision is made
    /// with, which <paramref name="now"/> returns (a timestamp of <see cref="LimiterSettings.TimeProvider"/>), so the
    /// pipeline reads the clock once for the budget, the decision and the attempt that follows.
    /// </remarks>
    internal AcquireStatus Acquire(
        HttpRequestMessage request, int permits, TimeSpan maxWait, CallBudget? budget, bool mayQueue,
        out Admission admission, out Waiter? waiter, out Refusal refusal, out long now)
    {
        ThrowIfDisposed();
        var partition = PartitionFor(request, out var route);
        while (true)
        {
            var status = partition.Acquire(permits, route, _settings.Mode, maxWait, budget, mayQueue, out admission, out waiter, out var hold, out var wait, out now);
            switch (status)
            {
                case AcquireStatus.Admitted:
                    _settings.Counters.OnAdmitted();
                    refusal = default;
                    return status;
                case AcquireStatus.Queued:
                    refusal = default;
                    return status;
                case AcquireStatus.Rejected:
                    _settings.Counters.OnThrottled();
                    refusal = new Refusal(partition.Name, hold.Reason, hold.RoomAt >= Stamps.Never ? null : wait);
                    return status;
                default:
                    // Forgotten between the lookup and the lock (idle, or the limiter was disposed): look it up again,
                    // under the lock that forgets partitions, so this never spins while another thread removes it.
                    ThrowIfDisposed();
                    partition = PartitionFor(request, out route, lookUpLocked: true);
                    break;
            }
        }
    }

    /// <summary>
    /// Waits for a queued request's admission; when the wait ends because the call's budget ran out, the request is held
    /// back with a <see cref="SalvoThrottledException"/> saying when room is expected, as if it had been refused at once.
    /// </summary>
    /// <exception cref="SalvoThrottledException">The call's budget ran out first.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled first.</exception>
    internal async ValueTask<Admission> WaitOrThrottleAsync(HttpRequestMessage request, Waiter waiter, CancellationToken cancellationToken)
    {
        try
        {
            return await WaitAsync(waiter, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (SalvoRequestContext.BudgetExpired(request))
        {
            throw Throttled(request, RefusalAfterWait(waiter));
        }
    }

    /// <summary>Waits for a queued request's admission; <paramref name="cancellationToken"/> takes it out of the line.</summary>
    /// <exception cref="OperationCanceledException">The token fired first.</exception>
    /// <exception cref="ObjectDisposedException">The limiter was disposed first.</exception>
    internal static async ValueTask<Admission> WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        Register(waiter, cancellationToken);
        try
        {
            return await waiter.Task.ConfigureAwait(false);
        }
        finally
        {
            await waiter.Registration.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="WaitAsync(Waiter, CancellationToken)"/>
    /// <remarks>Blocks the calling thread: for the synchronous <see cref="HttpMessageHandler"/> API only.</remarks>
    internal static Admission Wait(Waiter waiter, CancellationToken cancellationToken)
    {
        Register(waiter, cancellationToken);
        try
        {
            return waiter.Task.GetAwaiter().GetResult();
        }
        finally
        {
            waiter.Registration.Dispose();
        }
    }

    /// <summary>Ends an admitted request: learns what its response said (<see langword="null"/>: the attempt failed) and frees room.</summary>
    /// <returns>The clock reading (a timestamp of <see cref="LimiterSettings.TimeProvider"/>) the completion used.</returns>
    internal long Complete(in Admission admission, HttpResponseMessage? response)
    {
        // The report is the thread's own, so it is parsed and applied with no await in between.
        var report = response is null ? null : RateLimitHeaderReader.Read(response, _settings.Learn, _settings.TimeProvider);
        return admission.Partition.Complete(admission, response is not null, report);
    }

    /// <summary>The refusal for a queued request whose wait outlasted its budget: when room is now expected.</summary>
    internal Refusal RefusalAfterWait(Waiter waiter)
    {
        _settings.Counters.OnThrottled();
        var hold = waiter.Partition.Estimate(waiter.Permits, waiter.RouteTemplate, out var wait);
        return new Refusal(waiter.Partition.Name, hold.Reason, hold.RoomAt >= Stamps.Never ? null : wait);
    }

    /// <summary>The exception for a held-back call, logged at Debug.</summary>
    internal SalvoThrottledException Throttled(HttpRequestMessage request, in Refusal refusal)
    {
        var logger = _settings.Logger;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            RateLimitLog.Throttled(logger, request.Method.Method, Telemetry.Redaction.RedactUrl(request.RequestUri), refusal.Partition, refusal.Reason,
                refusal.RetryAfter?.TotalMilliseconds ?? double.PositiveInfinity);
        }
        return new SalvoThrottledException(refusal.Reason, refusal.Partition, refusal.RetryAfter, ErrorContexts.Of(request));
    }

    private static void Register(Waiter waiter, CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((Waiter)state!).Partition.Cancel((Waiter)state!, token), waiter);
        }
    }
}
