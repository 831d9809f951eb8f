namespace Salvo.Concurrency;

/// <summary>What a concurrent operation does when one of its tasks fails.</summary>
/// <remarks>
/// The two modes mirror the two habits of Python's asyncio: <see cref="Collect"/> is
/// <c>gather(..., return_exceptions=True)</c>, <see cref="FailFast"/> is <c>TaskGroup</c>. Collect is the
/// default because a fan-out over many API calls usually wants every answer it can get, not the first error.
/// </remarks>
public enum ErrorMode
{
    /// <summary>Keep going: every task runs to its end and each failure is recorded with its item.</summary>
    Collect = 0,

    /// <summary>The first failure cancels the work still running and is thrown once that work has stopped.</summary>
    FailFast = 1,
}
