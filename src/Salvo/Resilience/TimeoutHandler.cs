using Salvo.Pipeline;

namespace Salvo.Resilience;

/// <summary>
/// Bounds a call by a time budget; its expiry is a <see cref="SalvoTimeoutException"/> naming the budget.
/// One handler type serves both budgets: <see cref="Total"/> (position 3, around every retry) and
/// <see cref="Attempt"/> (position 10, around one try, and where attempts are counted).
/// </summary>
/// <remarks>
/// <para>The total budget: when an outer layer already owns it — <see cref="SalvoClient"/> does, so that the
/// budget also covers reading the body — the handler only passes the call on. Used alone in an
/// <see cref="HttpClient"/> it covers the call up to the response headers (and the body too with
/// <see cref="HttpCompletionOption.ResponseContentRead"/>, which <see cref="HttpClient"/> reads inside the
/// handler chain's token).</para>
/// <para>The attempt budget covers one try up to the response headers. When the total budget runs out first,
/// the outer layer reports <see cref="TimeoutBudget.Total"/> instead, because that is the budget the caller must
/// change. The attempt handler is the innermost Salvo handler, so it also counts attempts for error messages.</para>
/// </remarks>
public sealed class TimeoutHandler : DelegatingHandler
{
    private readonly TimeoutBudget _budget;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;

    private TimeoutHandler(TimeoutBudget budget, TimeSpan timeout, TimeProvider? timeProvider)
    {
        if (timeout != System.Threading.Timeout.InfiniteTimeSpan)
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _budget = budget;
        _timeout = timeout;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Which budget this handler enforces.</summary>
    public TimeoutBudget Budget => _budget;

    /// <summary>The length of the budget; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.</summary>
    public TimeSpan Timeout => _timeout;

    /// <summary>Creates the handler for the whole call's budget (pipeline position 3).</summary>
    /// <param name="timeout">The budget; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <returns>A new handler.</returns>
    public static TimeoutHandler Total(TimeSpan timeout, TimeProvider? timeProvider = null) => new(TimeoutBudget.Total, timeout, timeProvider);

    /// <summary>Creates the handler for one attempt's budget, which also counts attempts (pipeline position 10).</summary>
    /// <param name="timeout">The budget; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <returns>A new handler.</returns>
    public static TimeoutHandler Attempt(TimeSpan timeout, TimeProvider? timeProvider = null) => new(TimeoutBudget.Attempt, timeout, timeProvider);

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = SalvoRequestContext.GetOrCreate(request);
        if (_budget == TimeoutBudget.Attempt)
        {
            context.CountAttempt();
            if (_timeout == System.Threading.Timeout.InfiniteTimeSpan)
                return base.SendAsync(request, cancellationToken);
            // The common case: the call's own source reaches us unchanged, so re-arm it for the attempt.
            if (context.Budget is { } budget && budget.Token == cancellationToken)
                return SendArmedAsync(request, context, budget);
            // One of several attempts at once (a hedge): its own source takes the attempt budget.
            return AttemptSource.Of(request) is { } source && source.Token == cancellationToken
                ? SendOnSourceAsync(request, context, source)
                : SendWithinAsync(request, context, cancellationToken);
        }
        if (_timeout == System.Threading.Timeout.InfiniteTimeSpan || context.Budget is not null)
            return base.SendAsync(request, cancellationToken);
        return SendWithTotalAsync(request, context, cancellationToken);
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = SalvoRequestContext.GetOrCreate(request);
        if (_budget == TimeoutBudget.Attempt)
            context.CountAttempt();
        if (_timeout == System.Threading.Timeout.InfiniteTimeSpan || (_budget == TimeoutBudget.Total && context.Budget is not null))
            return base.Send(request, cancellationToken);
        using var scope = TimeoutScope.Start(_timeout, _timeProvider, cancellationToken);
        try
        {
            return base.Send(request, scope.Token);
        }
        catch (OperationCanceledException ex) when (scope.TimedOut)
        {
            throw Expired(_budget, ex, request, context);
        }
    }

    private async Task<HttpResponseMessage> SendArmedAsync(HttpRequestMessage request, SalvoRequestContext context, CallBudget budget)
    {
        budget.ArmAttempt(_timeout);
        try
        {
            return await base.SendAsync(request, budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (AttemptExpired(ex, request, context, budget, null) is { } expired)
        {
            throw expired;
        }
        finally
        {
            budget.DisarmAttempt();
        }
    }

    private async Task<HttpResponseMessage> SendOnSourceAsync(HttpRequestMessage request, SalvoRequestContext context, AttemptSource source)
    {
        source.Arm(_timeout);
        try
        {
            return await base.SendAsync(request, source.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (AttemptExpired(ex, request, context, null, source) is { } expired)
        {
            throw expired;
        }
    }

    private async Task<HttpResponseMessage> SendWithinAsync(HttpRequestMessage request, SalvoRequestContext context, CancellationToken cancellationToken)
    {
        using var scope = TimeoutScope.Start(_timeout, _timeProvider, cancellationToken);
        try
        {
            return await base.SendAsync(request, scope.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (scope.TimedOut)
        {
            throw Expired(TimeoutBudget.Attempt, ex, request, context);
        }
    }

    private async Task<HttpResponseMessage> SendWithTotalAsync(HttpRequestMessage request, SalvoRequestContext context, CancellationToken cancellationToken)
    {
        using var budget = CallBudget.Start(_timeout, _timeProvider, cancellationToken);
        context.Budget = budget;
        try
        {
            return await base.SendAsync(request, budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (budget.TimedOut)
        {
            throw Expired(budget.ExpiredBudget, ex, request, context);
        }
        finally
        {
            context.Budget = null;
        }
    }

    internal TimeProvider TimeProvider => _timeProvider;

    /// <summary>Sends to the handler below, skipping this one: for <see cref="FusedAttempt"/>, which does this handler's work itself.</summary>
    internal Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    /// <summary>
    /// The attempt-budget expiry <paramref name="exception"/> stands for, or <see langword="null"/>: a cancellation while the
    /// call's budget was armed for the attempt and fired for it, or while the attempt's own source fired for its budget.
    /// Judge it before the budget is disarmed.
    /// </summary>
    internal SalvoTimeoutException? AttemptExpired(Exception exception, HttpRequestMessage request, SalvoRequestContext context, CallBudget? armed, AttemptSource? source) =>
        exception is OperationCanceledException canceled
        && (armed is { TimedOut: true, ExpiredBudget: TimeoutBudget.Attempt } || source is { TimedOut: true })
            ? Expired(TimeoutBudget.Attempt, canceled, request, context)
            : null;

    internal SalvoTimeoutException Expired(TimeoutBudget which, OperationCanceledException cause, HttpRequestMessage request, SalvoRequestContext context) =>
        new(which, which == _budget ? _timeout : null, cause, context.ToErrorContext(request));
}
