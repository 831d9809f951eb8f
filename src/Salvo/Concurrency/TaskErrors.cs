namespace Salvo.Concurrency;

/// <summary>Turns a finished, unsuccessful task into the exception <c>await</c> would have thrown.</summary>
internal static class TaskErrors
{
    /// <summary>The first exception of a faulted task, or the cancellation exception of a cancelled one.</summary>
    /// <remarks>
    /// Matches <c>await</c>: a task faulted with several exceptions reports the first. For a cancelled task
    /// the original <see cref="OperationCanceledException"/> (with its token) is recovered by observing it,
    /// which throws, but only on this rare path.
    /// </remarks>
    public static Exception GetError(Task task)
    {
        if (task.Exception is { } aggregate)
            return aggregate.InnerExceptions.Count > 0 ? aggregate.InnerExceptions[0] : aggregate;
        try
        {
            task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException canceled)
        {
            return canceled;
        }
        return new TaskCanceledException(task);
    }
}
