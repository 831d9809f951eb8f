using System.Runtime.CompilerServices;

namespace Salvo.Concurrency;

internal sealed partial class ConcurrentRun<TSource, TResult>
{
    private enum SlotStatus
    {
        Acquired,
        Wait,
        Stopped,
    }

    /// <summary>Takes a slot and a runner for the next item, or <see langword="null"/> when the run has stopped.</summary>
    private ValueTask<ItemRunner<TSource, TResult>?> AcquireSlotAsync()
    {
        SlotStatus status;
        ItemRunner<TSource, TResult>? runner;
        ValueTask wait;
        lock (_gate)
            status = TryAcquireSlot(out runner, out wait);
        return status == SlotStatus.Wait ? WaitForSlotAsync(wait) : new ValueTask<ItemRunner<TSource, TResult>?>(runner);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ItemRunner<TSource, TResult>?> WaitForSlotAsync(ValueTask wait)
    {
        while (true)
        {
            await wait.ConfigureAwait(false);
            SlotStatus status;
            ItemRunner<TSource, TResult>? runner;
            lock (_gate)
                status = TryAcquireSlot(out runner, out wait);
            if (status != SlotStatus.Wait)
                return runner;
        }
    }

    private SlotStatus TryAcquireSlot(out ItemRunner<TSource, TResult>? runner, out ValueTask wait)
    {
        runner = null;
        wait = default;
        if (_state != RunState.Running)
            return SlotStatus.Stopped;
        if (_held >= _maxConcurrency)
        {
            _producerWaiting = true;
            wait = _producerSignal.Arm();
            return SlotStatus.Wait;
        }
        _held++;
        _running++;
        if (_held > _buffer.Length && !_sink)
            GrowBuffer();
        runner = _runners.Count > 0 ? _runners.Pop() : new ItemRunner<TSource, TResult>(this);
        return SlotStatus.Acquired;
    }

    private void ReturnSlot(ItemRunner<TSource, TResult> runner)
    {
        lock (_gate)
        {
            _held--;
            _running--;
            _runners.Push(runner);
        }
    }
}
