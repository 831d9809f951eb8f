using Salvo.Pipeline;

namespace Salvo.Resilience;

/// <summary>
/// The innermost Salvo handler: counts attempts (so errors can say how many were made) and bounds each
/// one with the attempt budget; its expiry is a <see cref="SalvoTimeoutException"/> with
/// <see cref="TimeoutBudget.Attempt"/>, which a retry layer treats as transient.
/// </summary>
/// <remarks>
/// Position 10 in the pipeline (see <see cref="PipelineStage.AttemptTimeout"/>). The attempt budget covers
/// one try up to the response headers. When the total budget runs out first, the outer layer reports
/// <see cref="TimeoutBudget.Total"/> instead, because that is the budget the caller must change.
/// </remarks>
public sealed class AttemptHandler : DelegatingHandler
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the handler.</summary>
    /// <param name="timeout">The per-attempt budget; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public AttemptHandler(TimeSpan timeout, TimeProvider? timeProvider = null)
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
        var context = SalvoRequestContext.GetOrCreate(request, _timeProvider);
        context.Attempts++;
        if (_timeout == Timeout.InfiniteTimeSpan)
            return base.SendAsync(request, cancellationToken);
        return SendWithBudgetAsync(request, context, cancellationToken);
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = SalvoRequestContext.GetOrCreate(request, _timeProvider);
        context.Attempts++;
        if (_timeout == Timeout.InfiniteTimeSpan)
            return base.Send(request, cancellationToken);
        using var scope = TimeoutScope.Start(_timeout, _timeProvider, cancellationToken);
        try
        {
            return base.Send(request, scope.Token);
        }
        catch (OperationCanceledException ex) when (scope.TimedOut)
        {
            throw new SalvoTimeoutException(TimeoutBudget.Attempt, _timeout, ex, context.ToErrorContext(request));
        }
    }

    private async Task<HttpResponseMessage> SendWithBudgetAsync(HttpRequestMessage request, SalvoRequestContext context, CancellationToken cancellationToken)
    {
        using var scope = TimeoutScope.Start(_timeout, _timeProvider, cancellationToken);
        try
        {
            return await base.SendAsync(request, scope.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (scope.TimedOut)
        {
            throw new SalvoTimeoutException(TimeoutBudget.Attempt, _timeout, ex, context.ToErrorContext(request));
        }
    }
}
