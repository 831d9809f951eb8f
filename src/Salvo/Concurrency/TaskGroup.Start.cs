using System.Runtime.ExceptionServices;

namespace Salvo.Concurrency;

public sealed partial class TaskGroup<T>
{
    /// <summary>Starts <paramref name="work"/> in the group, first waiting for a free slot when the group is bounded.</summary>
    /// <param name="work">The work to start; it receives <see cref="Token"/>. A synchronous throw is recorded like an asynchronous failure.</param>
    /// <param name="cancellationToken">Abandons the wait for a slot (the work is then not started).</param>
    /// <returns>A task that completes once the work has started (not finished), which is at once when a slot is free.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The group has been awaited or disposed (thrown by the returned task).</exception>
    /// <exception cref="OperationCanceledException">The group or <paramref name="cancellationToken"/> was cancelled (thrown by the returned task).</exception>
    /// <remarks>
    /// The task's index (its place in the results) is its place in the order in which calls got a slot. In
    /// <see cref="ErrorMode.FailFast"/> mode, once a task has failed, the returned task throws that failure and the
    /// work is not started, so a loop that starts work stops at the first failure.
    /// </remarks>
    public ValueTask StartAsync(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled(cancellationToken);
        if (_slots is not null && !_slots.Wait(0))
            return WaitThenStartAsync(work, cancellationToken);
        return TryStart(work, holdsSlot: _slots is not null) is { } error ? ValueTask.FromException(error) : default;
    }

    private async ValueTask WaitThenStartAsync(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (StartError() is { } error)
                ExceptionDispatchInfo.Throw(error);
            _active++;
        }
        try
        {
            if (!await WaitForSlotAsync(cancellationToken).ConfigureAwait(false))
            {
                Exception stopped;
                lock (_gate)
                    stopped = StartError() ?? new OperationCanceledException(_token);
                ExceptionDispatchInfo.Throw(stopped);
            }
            if (TryStart(work, holdsSlot: true) is { } startError)
                ExceptionDispatchInfo.Throw(startError);
        }
        finally
        {
            // After TryStart, so that a started task is counted before this wait stops counting.
            FinishActive();
        }
    }

    /// <summary>Waits for a slot; the group's token ends the wait too, so cancelling or disposing the group frees waiting callers.</summary>
    /// <returns><see langword="true"/> with a slot held; <see langword="false"/> when the group was cancelled first.</returns>
    private async Task<bool> WaitForSlotAsync(CancellationToken cancellationToken)
    {
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _token) : null;
        try
        {
            await _slots!.WaitAsync(linked?.Token ?? _token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Starts the work if the group accepts it; otherwise gives the slot back and returns the reason.</summary>
    private Exception? TryStart(Func<CancellationToken, Task<T>> work, bool holdsSlot)
    {
        int index;
        lock (_gate)
        {
            if (StartError() is { } error)
            {
                if (holdsSlot)
                    _slots!.Release();
                return error;
            }
            index = _outcomes.Count;
            _outcomes.Add(default);
            _running++;
            _active++;
        }
        Task<T> task;
        try
        {
            task = work(_token) ?? Task.FromException<T>(new InvalidOperationException("The work returned null instead of a task."));
        }
        catch (Exception ex)
        {
            task = Task.FromException<T>(ex);
        }
        if (task.IsCompleted)
            OnFinished(index, task);
        else
            _ = WatchAsync(index, task);
        return null;
    }

    /// <summary>Why the group takes no more work, or <see langword="null"/> when it does. Call under the lock.</summary>
    private Exception? StartError()
    {
        if (_closed)
            return new InvalidOperationException("The group has been awaited or disposed; no more tasks can be started in it.");
        if (_cancelReason == CancelReason.Failed)
            return _firstFailure!.SourceException;
        if (_cancelReason != CancelReason.None)
            return new OperationCanceledException(_cancelReason == CancelReason.External ? _externalToken : _token);
        return null;
    }

    private async Task WatchAsync(int index, Task<T> task)
    {
        await ((Task)task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        OnFinished(index, task);
    }

    /// <summary>Records a finished task; in <see cref="ErrorMode.FailFast"/> mode its failure cancels the group.</summary>
    /// <remarks>
    /// An <see cref="OperationCanceledException"/> after the group was cancelled is the group's own doing, not a
    /// new failure. The slot is released after the failure is recorded, and the task stays counted as active
    /// until the cancellation has been signalled, so disposal cannot free the token source under it.
    /// </remarks>
    private void OnFinished(int index, Task<T> task)
    {
        var outcome = task.IsCompletedSuccessfully ? new Outcome<T>(index, task.Result) : new Outcome<T>(index, TaskErrors.GetError(task));
        bool failFirst;
        lock (_gate)
        {
            _outcomes[index] = outcome;
            _running--;
            failFirst = _failFast && !outcome.IsSuccess && _cancelReason == CancelReason.None
                && !(outcome.Error is OperationCanceledException && _token.IsCancellationRequested);
        }
        if (failFirst)
            CancelCore(CancelReason.Failed, ExceptionDispatchInfo.Capture(outcome.Error!));
        // Only now may a waiting StartAsync take the slot, so in FailFast mode it sees this failure.
        _slots?.Release();
        FinishActive();
    }

    /// <summary>One task or waiting start is done; completes the drain when the group is closed and idle.</summary>
    private void FinishActive()
    {
        TaskCompletionSource? drained = null;
        lock (_gate)
        {
            if (--_active == 0 && _closed)
                drained = _drained;
        }
        drained?.TrySetResult();
    }
}
