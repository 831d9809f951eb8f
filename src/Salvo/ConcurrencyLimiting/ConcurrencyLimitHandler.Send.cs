using System.Threading.RateLimiting;
using Salvo.Pipeline;

namespace Salvo.ConcurrencyLimiting;

public sealed partial class ConcurrencyLimitHandler
{
    /// <inheritdoc />
    /// <remarks>
    /// Waiting is inherent to a limit, and this is the synchronous API: a request that finds the limit full blocks its
    /// thread until a slot comes free, the call's budget runs out or <paramref name="cancellationToken"/> fires. Prefer
    /// <see cref="HttpClient.SendAsync(HttpRequestMessage, CancellationToken)"/> under load, where a waiting call holds no thread.
    /// </remarks>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _policy switch
        {
            ConcurrencyLimitPolicy.Gates => SendThroughGate(request, _partitions!.For(request), cancellationToken),
            ConcurrencyLimitPolicy.RateLimiter => SendThroughLimiter(request, _limiter!, cancellationToken),
            _ => base.Send(request, cancellationToken),
        };
    }

    private HttpResponseMessage SendThroughGate(HttpRequestMessage request, ConcurrencyGate gate, CancellationToken cancellationToken)
    {
        if (!gate.TryEnter())
        {
            var status = gate.Enter(out var waiter);
            if (status == GateStatus.Queued)
                status = gate.WaitAsync(waiter!, cancellationToken).AsTask().GetAwaiter().GetResult();
            ThrowUnlessEntered(status, request, gate, cancellationToken);
        }
        var start = _timeProvider.GetTimestamp();
        var outcome = ConcurrencyOutcome.Ignored;
        try
        {
            var response = base.Send(request, cancellationToken);
            outcome = ConcurrencySignals.Of(response);
            return response;
        }
        catch (Exception ex)
        {
            outcome = ConcurrencySignals.Of(ex, request, cancellationToken);
            throw;
        }
        finally
        {
            Leave(gate, start, outcome);
        }
    }

    private HttpResponseMessage SendThroughLimiter(HttpRequestMessage request, RateLimiter limiter, CancellationToken cancellationToken)
    {
        var lease = limiter.AttemptAcquire(1);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            try
            {
                lease = limiter.AcquireAsync(1, cancellationToken).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (SalvoRequestContext.BudgetExpired(request))
            {
                throw Throttled(request, null, null, queueFull: false);
            }
        }
        using (lease)
        {
            if (!lease.IsAcquired)
                throw Throttled(request, null, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null, queueFull: true);
            return base.Send(request, cancellationToken);
        }
    }
}
