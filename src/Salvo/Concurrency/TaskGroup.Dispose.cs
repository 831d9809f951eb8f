namespace Salvo.Concurrency;

public sealed partial class TaskGroup<T>
{
    /// <summary>Ends the group: if it was never awaited, cancels its work; then waits for every running task to stop. Never throws.</summary>
    /// <returns>A task that completes once no task of the group is running.</returns>
    /// <remarks>
    /// This is what makes <c>await using var group = new TaskGroup&lt;T&gt;()</c> safe when the code that fills the
    /// group throws: the started tasks are cancelled and awaited instead of running on unobserved. Their
    /// failures are not reported, since whoever would handle them has already left. After a <c>WhenAll</c> call
    /// there is nothing left to cancel and disposal only releases resources.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        Task? drained = null;
        bool cancel;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _closed = true;
            cancel = !_awaited;
            if (_active > 0)
                drained = (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        if (cancel)
            CancelCore(CancelReason.Disposed);
        if (drained is not null)
            await drained.ConfigureAwait(false);
        await _externalRegistration.DisposeAsync().ConfigureAwait(false);
        _cts.Dispose();
    }
}
