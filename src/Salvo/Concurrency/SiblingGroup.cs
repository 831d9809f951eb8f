namespace Salvo.Concurrency;

/// <summary>The shared token of one <see cref="Concurrently"/> factory call: the first task that does not succeed cancels its siblings.</summary>
/// <remarks>
/// This is what <c>asyncio.gather</c> lacks: when one call fails, gather returns at once and leaves the others
/// running as orphans. Here the siblings are told to stop, and the caller still waits for them.
/// </remarks>
internal sealed class SiblingGroup : IDisposable
{
    private readonly CancellationTokenSource _cts;

    public SiblingGroup(CancellationToken cancellationToken) => _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

    /// <summary>Starts <paramref name="factory"/> with the shared token, unless a sibling has already failed.</summary>
    /// <returns>A task that ends like the factory's task and, when that one does not succeed, has cancelled the siblings first.</returns>
    public Task<T> Start<T>(Func<CancellationToken, Task<T>> factory)
    {
        if (_cts.IsCancellationRequested)
            return Task.FromCanceled<T>(_cts.Token);
        Task<T> task;
        try
        {
            task = factory(_cts.Token) ?? throw new InvalidOperationException("The factory returned null instead of a task.");
        }
        catch (Exception ex)
        {
            CancelSiblings();
            return Task.FromException<T>(ex);
        }
        if (!task.IsCompleted)
            return WatchAsync(task);
        if (!task.IsCompletedSuccessfully)
            CancelSiblings();
        return task;
    }

    public void Dispose() => _cts.Dispose();

    private async Task<T> WatchAsync<T>(Task<T> task)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch
        {
            CancelSiblings();
            throw;
        }
    }

    private void CancelSiblings()
    {
        try
        {
            _cts.Cancel();
        }
        catch (AggregateException)
        {
            // A sibling's cancellation callback threw. The failure that caused the cancellation is the one to
            // report, and the sibling's own task reports what went wrong with it.
        }
    }
}
