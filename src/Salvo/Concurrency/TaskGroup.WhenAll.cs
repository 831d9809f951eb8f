namespace Salvo.Concurrency;

public sealed partial class TaskGroup<T>
{
    /// <summary>Closes the group to new work, waits for every started task, and returns their values in submission order.</summary>
    /// <param name="cancellationToken">Cancels the group's work; the call still waits for running tasks to stop, then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The tasks' values, in the order they were started.</returns>
    /// <exception cref="AggregateException">
    /// <see cref="ErrorMode.Collect"/> mode: one or more tasks failed. It holds every failure in submission order;
    /// a single failure is wrapped too, so callers handle one shape.
    /// </exception>
    /// <exception cref="OperationCanceledException">The group was cancelled (by <see cref="Cancel"/>, the constructor's token or <paramref name="cancellationToken"/>).</exception>
    /// <exception cref="ObjectDisposedException">The group has been disposed.</exception>
    /// <remarks>
    /// In <see cref="ErrorMode.FailFast"/> mode the first failure is rethrown as is, with its original stack trace,
    /// once the tasks it cancelled have stopped. Cancelling the wait cancels the work rather than abandoning it,
    /// because a group's tasks never outlive the group.
    /// </remarks>
    public async Task<IReadOnlyList<T>> WhenAllAsync(CancellationToken cancellationToken = default)
    {
        var outcomes = await SettleAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            switch (_cancelReason)
            {
                case CancelReason.Failed:
                    _firstFailure!.Throw();
                    break;
                case CancelReason.Canceled:
                case CancelReason.Disposed:
                    throw new OperationCanceledException(_token);
                case CancelReason.External:
                    throw new OperationCanceledException(_externalToken);
                case CancelReason.Waiter:
                    throw new OperationCanceledException(_waiterToken);
            }
        }
        List<Exception>? failures = null;
        var values = new T[outcomes.Length];
        foreach (var outcome in outcomes)
        {
            if (outcome.TryGetValue(out var value))
                values[outcome.Index] = value;
            else
                (failures ??= []).Add(outcome.Error!);
        }
        return failures is null ? values : throw new AggregateException(failures);
    }

    /// <summary>Closes the group to new work, waits for every started task, and returns each one's value or error in submission order.</summary>
    /// <param name="cancellationToken">Cancels the group's work; the call still waits for running tasks to stop, then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>One <see cref="Outcome{T}"/> per started task, in the order they were started.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> cancelled the group while this call waited.</exception>
    /// <exception cref="ObjectDisposedException">The group has been disposed.</exception>
    /// <remarks>
    /// Never throws for the tasks' own failures; this is <c>gather(..., return_exceptions=True)</c> with the
    /// value and error kept apart. Tasks stopped by a cancellation have an <see cref="OperationCanceledException"/> as their error.
    /// </remarks>
    public async Task<IReadOnlyList<Outcome<T>>> WhenAllSettledAsync(CancellationToken cancellationToken = default)
    {
        var outcomes = await SettleAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_cancelReason == CancelReason.Waiter)
                throw new OperationCanceledException(_waiterToken);
        }
        return outcomes;
    }

    /// <summary>Closes the group and waits until nothing in it is running, then snapshots the outcomes.</summary>
    private async Task<Outcome<T>[]> SettleAsync(CancellationToken cancellationToken)
    {
        Task? drained = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _closed = true;
            _awaited = true;
            if (_active > 0)
                drained = (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        if (drained is not null)
        {
            using (cancellationToken.UnsafeRegister(static (state, token) => ((TaskGroup<T>)state!).CancelCore(CancelReason.Waiter, waiterToken: token), this))
                await drained.ConfigureAwait(false);
        }
        lock (_gate)
            return [.. _outcomes];
    }
}
