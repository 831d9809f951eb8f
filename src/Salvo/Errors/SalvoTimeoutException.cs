namespace Salvo;

/// <summary>A time budget expired before the call completed. <see cref="Budget"/> says which one.</summary>
public sealed class SalvoTimeoutException : SalvoException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="budget">Which budget expired.</param>
    /// <param name="timeout">The length of that budget, when known.</param>
    /// <param name="innerException">The cancellation that the expiry caused.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoTimeoutException(TimeoutBudget budget, TimeSpan? timeout, Exception? innerException = null, SalvoErrorContext? context = null)
        : base(BuildMessage(budget, timeout, context), innerException, context)
    {
        Budget = budget;
        Timeout = timeout;
    }

    /// <summary>Which budget expired.</summary>
    public TimeoutBudget Budget { get; }

    /// <summary>The length of the budget that expired, when known.</summary>
    public TimeSpan? Timeout { get; }

    /// <inheritdoc />
    /// <remarks>Always <see langword="true"/>: a slow server or network may well answer in time later.</remarks>
    public override bool IsTransient => true;

    private static string BuildMessage(TimeoutBudget budget, TimeSpan? timeout, SalvoErrorContext? context)
    {
        var what = budget switch
        {
            TimeoutBudget.Total => "total timeout",
            TimeoutBudget.Attempt => "attempt timeout",
            TimeoutBudget.Connect => "connect timeout",
            _ => "transport timeout",
        };
        var length = timeout is { } t ? $" of {t.TotalMilliseconds:0.###} ms" : "";
        return $"{ErrorText.Call(context)} exceeded its {what}{length}.";
    }
}
