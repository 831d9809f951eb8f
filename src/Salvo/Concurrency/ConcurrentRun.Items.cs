using System.Runtime.ExceptionServices;

namespace Salvo.Concurrency;

internal sealed partial class ConcurrentRun<TSource, TResult>
{
    /// <summary>Files the result of a finished item's task.</summary>
    internal void OnItemCompleted(ItemRunner<TSource, TResult> runner, int index, TSource item, Task task)
    {
        if (!task.IsCompletedSuccessfully)
            Publish(runner, new ItemResult<TSource, TResult>(index, item, TaskErrors.GetError(task)));
        else if (_selector is not null)
            Publish(runner, new ItemResult<TSource, TResult>(index, item, ((Task<TResult>)task).Result));
        else
            Publish(runner, new ItemResult<TSource, TResult>(index, item, default(TResult)!));
    }

    /// <summary>Hands a finished item to the consumer (or the sink) and wakes whoever can now make progress.</summary>
    /// <remarks>
    /// Runs on whatever thread finished the item, so it must never throw. The first failure in
    /// <see cref="ErrorMode.FailFast"/> keeps its item counted as running until the token is cancelled, so
    /// the run cannot look quiescent (and dispose the token source) while it is still cancelling.
    /// </remarks>
    private void Publish(ItemRunner<TSource, TResult> runner, ItemResult<TSource, TResult> result)
    {
        var failure = _sink && !_failFast && result.Error is { } error ? new ConcurrentItemException(result.Index, result.Item, error) : null;
        bool cancel = false, wakeProducer = false, wakeConsumer;
        lock (_gate)
        {
            _runners.Push(runner);
            if (_state == RunState.Running)
            {
                if (_failFast && result.Error is not null)
                {
                    _state = RunState.Faulted;
                    _fault = ExceptionDispatchInfo.Capture(result.Error);
                    cancel = true;
                    wakeProducer = TakeProducerWaiter();
                }
                else if (_sink)
                {
                    if (failure is not null)
                        (_failures ??= []).Add(failure);
                    _held--;
                    wakeProducer = TakeProducerWaiter();
                }
                else
                {
                    var sequence = _inputOrder ? result.Index : _published++;
                    ref var entry = ref _buffer[(int)(sequence & (_buffer.Length - 1))];
                    entry.Result = result;
                    entry.Ready = true;
                }
            }
            if (!cancel)
                _running--;
            wakeConsumer = TakeConsumerWaiterIfReady();
        }
        if (wakeProducer)
            _producerSignal.Set();
        if (wakeConsumer)
            _consumerSignal.Set();
        if (cancel)
        {
            CancelWork();
            lock (_gate)
            {
                _running--;
                wakeConsumer = TakeConsumerWaiterIfReady();
            }
            if (wakeConsumer)
                _consumerSignal.Set();
        }
    }

    /// <summary>Doubles the ring buffer, keeping each live entry at its key's new position. Call under the lock.</summary>
    /// <remarks>
    /// The buffer starts small so that a large bound (say 100,000 for "effectively unbounded") costs memory only
    /// when that many items really are in progress.
    /// </remarks>
    private void GrowBuffer()
    {
        var old = _buffer;
        var grown = new Entry[old.Length * 2];
        for (var key = _consumed; key < _consumed + old.Length; key++)
            grown[(int)(key & (grown.Length - 1))] = old[(int)(key & (old.Length - 1))];
        _buffer = grown;
    }
}
