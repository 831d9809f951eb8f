using Polly;
using Salvo.Pipeline;

namespace Salvo.Resilience;

/// <summary>
/// One call's state once it needs a retry (a call whose first attempt succeeds never creates one): the outcome
/// of the first attempt, the wait before the next, and which token the next attempt must carry.
/// </summary>
internal sealed class RetryCall
{
    public static readonly ResiliencePropertyKey<RetryCall> Key = new("Salvo.RetryCall");

    private readonly CancellationToken _incomingToken;
    private readonly CallBudget? _budget;
    private readonly bool _budgetOwnsToken;
    private Outcome<HttpResponseMessage>? _first;
    private TimeSpan _pendingDelay;

    public RetryCall(RetryHandler handler, HttpRequestMessage request, CancellationToken incomingToken, Outcome<HttpResponseMessage> first)
    {
        Handler = handler;
        Request = request;
        _incomingToken = incomingToken;
        _budget = SalvoRequestContext.Find(request)?.Budget;
        // When the call's own budget token came down to us, the layers below arm it for each attempt, and after an
        // attempt timeout it must be renewed. Any other token (a caller's, a linked one) is only ever passed on.
        _budgetOwnsToken = _budget is not null && _budget.Token == incomingToken;
        _first = first;
        PreviousDelay = handler.BaseDelayForBackoff;
    }

    public RetryHandler Handler { get; }

    public HttpRequestMessage Request { get; }

    /// <summary>The token for the next attempt and the wait before it: the budget's current one, read again each time.</summary>
    public CancellationToken Token => _budgetOwnsToken ? _budget!.Token : _incomingToken;

    /// <summary>Time left in the call's total budget; <see cref="Timeout.InfiniteTimeSpan"/> when there is none.</summary>
    public TimeSpan Remaining => _budget?.Remaining ?? Timeout.InfiniteTimeSpan;

    /// <summary>The last wait, which the next jittered wait grows from.</summary>
    public TimeSpan PreviousDelay { get; private set; }

    /// <summary>Readies the token for another attempt; <see langword="false"/> when the caller cancelled or the total budget is spent.</summary>
    public bool RenewToken() => _budgetOwnsToken ? _budget!.Renew() : !_incomingToken.IsCancellationRequested;

    public void ScheduleNext(TimeSpan delay)
    {
        _pendingDelay = delay;
        PreviousDelay = delay;
    }

    public async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync()
    {
        if (TakeFirst() is { } first)
            return first;
        var token = Token;
        try
        {
            if (_pendingDelay > TimeSpan.Zero)
                await Task.Delay(_pendingDelay, Handler.TimeProvider, token).ConfigureAwait(false);
            return Outcome.FromResult(await Handler.SendOnceAsync(Request, token).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            return Outcome.FromException<HttpResponseMessage>(ex);
        }
    }

    public HttpResponseMessage Attempt()
    {
        if (TakeFirst() is { } first)
        {
            first.ThrowIfException();
            return first.Result!;
        }
        var token = Token;
        if (_pendingDelay > TimeSpan.Zero)
            Task.Delay(_pendingDelay, Handler.TimeProvider, token).GetAwaiter().GetResult();
        return Handler.SendOnce(Request, token);
    }

    /// <summary>Polly's loop starts by calling the callback; its first turn gets the outcome the fast path already has.</summary>
    private Outcome<HttpResponseMessage>? TakeFirst()
    {
        var first = _first;
        _first = null;
        return first;
    }
}
