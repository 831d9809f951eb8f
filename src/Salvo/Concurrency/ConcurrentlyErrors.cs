using System.Runtime.ExceptionServices;

namespace Salvo.Concurrency;

/// <summary>The error rules shared by every <see cref="Concurrently"/> overload.</summary>
internal static class ConcurrentlyErrors
{
    /// <summary>Throws for finished tasks that did not all succeed: the one failure as is, several as one <see cref="AggregateException"/>, otherwise the cancellation.</summary>
    /// <remarks>
    /// An <see cref="OperationCanceledException"/> is never counted as a failure: either the caller cancelled
    /// (reported once, as cancellation) or a failing sibling cancelled the task (already reported by that
    /// failure). Rethrowing a single failure unwrapped is what lets <c>catch (SalvoHttpException)</c> work.
    /// </remarks>
    public static void ThrowIfAnyFailed(ReadOnlySpan<Task> tasks, CancellationToken cancellationToken)
    {
        List<Exception>? failures = null;
        Task? canceled = null;
        foreach (var task in tasks)
        {
            if (task.IsCompletedSuccessfully)
                continue;
            if (task.Exception is { } aggregate)
            {
                foreach (var error in aggregate.InnerExceptions)
                {
                    if (error is OperationCanceledException)
                        canceled ??= task;
                    else
                        (failures ??= []).Add(error);
                }
            }
            else
            {
                canceled ??= task;
            }
        }
        if (failures is { Count: 1 })
            ExceptionDispatchInfo.Throw(failures[0]);
        if (failures is not null)
            throw new AggregateException(failures);
        if (canceled is null)
            return;
        cancellationToken.ThrowIfCancellationRequested();
        canceled.GetAwaiter().GetResult();
    }
}
