using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Salvo.Concurrency;

internal sealed partial class ConcurrentRun<TSource, TResult>
{
    /// <summary>The producer: pulls the source one item per free slot and starts each item.</summary>
    /// <remarks>
    /// It runs on the thread pool (queued from the first <see cref="MoveNextAsync"/>, so it flows the caller's
    /// execution context but not its synchronization context). Every exception that reaches the catch comes
    /// from the source, because selector exceptions are captured per item in <see cref="StartItem"/>.
    /// </remarks>
    private async Task ProduceAsync()
    {
        try
        {
            if (_asyncSource is not null)
                await ProduceFromAsync(_asyncSource).ConfigureAwait(false);
            else
                await ProduceFrom(_source!).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            OnSourceError(ex);
        }
        finally
        {
            OnProducerDone();
        }
    }

    private async Task ProduceFrom(IEnumerable<TSource> source)
    {
        using var enumerator = source.GetEnumerator();
        while (await AcquireSlotAsync().ConfigureAwait(false) is { } runner)
        {
            var hasItem = false;
            TSource item = default!;
            try
            {
                hasItem = enumerator.MoveNext();
                if (hasItem)
                    item = enumerator.Current;
            }
            finally
            {
                if (!hasItem)
                    ReturnSlot(runner);
            }
            if (!hasItem)
                return;
            StartItem(runner, item);
        }
    }

    private async Task ProduceFromAsync(IAsyncEnumerable<TSource> source)
    {
        var enumerator = source.GetAsyncEnumerator(_token);
        try
        {
            while (await AcquireSlotAsync().ConfigureAwait(false) is { } runner)
            {
                var hasItem = false;
                TSource item = default!;
                try
                {
                    hasItem = await enumerator.MoveNextAsync().ConfigureAwait(false);
                    if (hasItem)
                        item = enumerator.Current;
                }
                finally
                {
                    if (!hasItem)
                        ReturnSlot(runner);
                }
                if (!hasItem)
                    return;
                StartItem(runner, item);
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs the selector for one item; a synchronous throw or a null task becomes the item's error.</summary>
    private void StartItem(ItemRunner<TSource, TResult> runner, TSource item)
    {
        if (_nextIndex == int.MaxValue)
        {
            ReturnSlot(runner);
            throw new InvalidOperationException("A concurrent fan-out supports at most int.MaxValue items, as results are indexed by int.");
        }
        var index = _nextIndex++;
        Task? task;
        try
        {
            task = _selector is not null ? _selector(item, _token) : _body!(item, _token);
        }
        catch (Exception ex)
        {
            Publish(runner, new ItemResult<TSource, TResult>(index, item, ex));
            return;
        }
        if (task is null)
            Publish(runner, new ItemResult<TSource, TResult>(index, item, new InvalidOperationException("The delegate returned null instead of a task.")));
        else if (task.IsCompleted)
            OnItemCompleted(runner, index, item, task);
        else
            runner.Watch(task, index, item);
    }

    private void OnSourceError(Exception error)
    {
        var cancel = false;
        lock (_gate)
        {
            if (_state != RunState.Running)
                return;
            if (_failFast)
            {
                _state = RunState.Faulted;
                _fault = ExceptionDispatchInfo.Capture(error);
                cancel = true;
            }
            else
            {
                _sourceError = ExceptionDispatchInfo.Capture(error);
            }
        }
        if (cancel)
            CancelWork();
    }

    private void OnProducerDone()
    {
        bool wakeConsumer;
        lock (_gate)
        {
            _producerDone = true;
            wakeConsumer = TakeConsumerWaiterIfReady();
        }
        if (wakeConsumer)
            _consumerSignal.Set();
    }
}
