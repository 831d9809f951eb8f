namespace Salvo.Sandbox.Http;

/// <summary>Waits, without a timer, until a request is aborted by its client or by the server stopping.</summary>
internal static class RequestAbort
{
    public static Task WaitAsync(CancellationToken requestAborted)
    {
        if (requestAborted.IsCancellationRequested)
            return Task.CompletedTask;
        // The registration fires exactly once and completes the wait, so it needs no disposal of its own.
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        requestAborted.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), done);
        return done.Task;
    }
}
