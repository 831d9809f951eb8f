using Salvo.Pipeline;

namespace Salvo.RateLimiting;

public sealed partial class RateLimitHandler
{
    /// <inheritdoc />
    /// <remarks>
    /// Waiting is inherent to a rate limit, and this is the synchronous API: an attempt that finds no room blocks its
    /// thread until room comes, the call's budget runs out or <paramref name="cancellationToken"/> fires. Prefer
    /// <see cref="HttpClient.SendAsync(HttpRequestMessage, CancellationToken)"/> under load, where a waiting call holds no thread.
    /// </remarks>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_passThrough)
            return base.Send(request, cancellationToken);
        if (_limiter is null)
            return SendThroughUserLimiter(request, cancellationToken);
        var status = _limiter.Acquire(
            request, 1, Timeout.InfiniteTimeSpan, SalvoRequestContext.Find(request)?.Budget, mayQueue: true, out var admission, out var waiter, out var refusal, out _);
        if (status == AcquireStatus.Rejected)
            throw _limiter.Throttled(request, refusal);
        if (status == AcquireStatus.Queued)
        {
            try
            {
                admission = SalvoRateLimiter.Wait(waiter!, cancellationToken);
            }
            catch (OperationCanceledException) when (SalvoRequestContext.BudgetExpired(request))
            {
                throw _limiter.Throttled(request, _limiter.RefusalAfterWait(waiter!));
            }
        }
        HttpResponseMessage response;
        try
        {
            response = base.Send(request, cancellationToken);
        }
        catch
        {
            _limiter.Complete(admission, null);
            throw;
        }
        _limiter.Complete(admission, response);
        return response;
    }
}
