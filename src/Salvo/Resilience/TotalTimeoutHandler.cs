using Salvo.Pipeline;

namespace Salvo.Resilience;

/// <summary>
/// Enforces one time budget over the whole call, every retry included; its expiry is a
/// <see cref="SalvoTimeoutException"/> with <see cref="TimeoutBudget.Total"/>.
/// </summary>
/// <remarks>
/// Position 3 in the pipeline (see <see cref="PipelineStage.TotalTimeout"/>). When an outer layer already
/// owns the budget — <see cref="SalvoClient"/> does, so that the budget also covers reading the body — this
/// handler only passes the call on. Used alone in an <see cref="HttpClient"/> it covers the call up to the
/// response headers (and the body too with <see cref="HttpCompletionOption.ResponseContentRead"/>, which
/// <see cref="HttpClient"/> reads inside the handler chain's token).
/// </remarks>
public sealed class TotalTimeoutHandler : DelegatingHandler
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the handler.</summary>
    /// <param name="timeout">The budget; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public TotalTimeoutHandler(TimeSpan timeout, TimeProvider? timeProvider = null)
    {
        if (timeout != Timeout.InfiniteTimeSpan)
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _timeout = timeout;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (SalvoRequestContext.Find(request) is { HasTotalBudget: true } || _timeout == Timeout.InfiniteTimeSpan)
            return base.SendAsync(request, cancellationToken);
        return SendWithBudgetAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (SalvoRequestContext.Find(request) is { HasTotalBudget: true } || _timeout == Timeout.InfiniteTimeSpan)
            return base.Send(request, cancellationToken);
        var context = SalvoRequestContext.GetOrCreate(request, _timeProvider);
        context.StartBudget(_timeout);
        using var scope = TimeoutScope.Start(_timeout, _timeProvider, cancellationToken);
        try
        {
            return base.Send(request, scope.Token);
        }
        catch (OperationCanceledException ex) when (scope.TimedOut)
        {
            throw new SalvoTimeoutException(TimeoutBudget.Total, _timeout, ex, context.ToErrorContext(request));
        }
    }

    private async Task<HttpResponseMessage> SendWithBudgetAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = SalvoRequestContext.GetOrCreate(request, _timeProvider);
        context.StartBudget(_timeout);
        using var scope = TimeoutScope.Start(_timeout, _timeProvider, cancellationToken);
        try
        {
            return await base.SendAsync(request, scope.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (scope.TimedOut)
        {
            throw new SalvoTimeoutException(TimeoutBudget.Total, _timeout, ex, context.ToErrorContext(request));
        }
    }
}
