using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Salvo.Http;
using Salvo.Pipeline;

namespace Salvo.RateLimiting;

// A user's PartitionedRateLimiter: one lease per attempt, held until the response headers arrive.
public sealed partial class RateLimitHandler
{
    private async Task<HttpResponseMessage> SendThroughUserLimiterAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var lease = await AcquireUserLeaseAsync(request, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private HttpResponseMessage SendThroughUserLimiter(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var lease = _userLimiter!.AttemptAcquire(request);
        if (!lease.IsAcquired)
            lease = WaitForUserLease(request, lease, cancellationToken).AsTask().GetAwaiter().GetResult();
        using (lease)
            return base.Send(request, cancellationToken);
    }

    private ValueTask<RateLimitLease> AcquireUserLeaseAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var lease = _userLimiter!.AttemptAcquire(request);
        return lease.IsAcquired ? ValueTask.FromResult(lease) : WaitForUserLease(request, lease, cancellationToken);
    }

    /// <summary>
    /// After a failed attempt: waits in the limiter's own queue (if it has one); when it refuses with a
    /// <see cref="MetadataName.RetryAfter"/> that fits in the budget, waits that long and tries again. Each turn waits,
    /// so the loop ends with the budget, the token, or a refusal without a time to retry.
    /// </summary>
    private async ValueTask<RateLimitLease> WaitForUserLease(HttpRequestMessage request, RateLimitLease failed, CancellationToken cancellationToken)
    {
        var retryAfter = RetryAfterOf(failed);
        failed.Dispose();
        if (_mode == RateLimitMode.Throw)
            throw UserThrottled(request, retryAfter);
        while (true)
        {
            RateLimitLease lease;
            try
            {
                lease = await _userLimiter!.AcquireAsync(request, 1, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (SalvoRequestContext.BudgetExpired(request))
            {
                throw UserThrottled(request, retryAfter);
            }
            if (lease.IsAcquired)
                return lease;
            retryAfter = RetryAfterOf(lease);
            lease.Dispose();
            var maxWait = SalvoRequestContext.RemainingBudget(request);
            if (retryAfter is not { } wait || wait <= TimeSpan.Zero || (maxWait != Timeout.InfiniteTimeSpan && wait > maxWait))
                throw UserThrottled(request, retryAfter);
            try
            {
                await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (SalvoRequestContext.BudgetExpired(request))
            {
                throw UserThrottled(request, null);
            }
        }
    }

    private static TimeSpan? RetryAfterOf(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null;

    private SalvoThrottledException UserThrottled(HttpRequestMessage request, TimeSpan? retryAfter)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            RateLimitLog.Throttled(_logger, request.Method.Method, Telemetry.Redaction.RedactUrl(request.RequestUri), "*", ThrottleReason.RateLimit,
                retryAfter?.TotalMilliseconds ?? double.PositiveInfinity);
        }
        return new SalvoThrottledException(ThrottleReason.RateLimit, null, retryAfter, ErrorContexts.Of(request));
    }
}
