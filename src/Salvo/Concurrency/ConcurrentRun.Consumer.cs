using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Salvo.Concurrency;

internal sealed partial class ConcurrentRun<TSource, TResult>
{
    private enum Step
    {
        Item,
        End,
        Fault,
        Canceled,
        Wait,
    }

    /// <inheritdoc />
    public ItemResult<TSource, TResult> Current => _current;

    /// <summary>Sink mode: the failed items, in input order, once <see cref="MoveNextAsync"/> has returned <see langword="false"/>.</summary>
    public List<ConcurrentItemException>? Failures
    {
        get
        {
            lock (_gate)
            {
                _failures?.Sort(static (a, b) => a.Index.CompareTo(b.Index));
                return _failures;
            }
        }
    }

    /// <summary>Sink mode: the source's own exception in <see cref="ErrorMode.Collect"/> mode, if it threw.</summary>
    public ExceptionDispatchInfo? SourceError
    {
        get
        {
            lock (_gate)
                return _sourceError;
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> MoveNextAsync()
    {
        if (!_started && !_disposed)
            Start();
        var step = Poll(out var wait, out var error);
        return step switch
        {
            Step.Item => new ValueTask<bool>(true),
            Step.End => new ValueTask<bool>(false),
            Step.Fault => ValueTask.FromException<bool>(error!.SourceException),
            Step.Canceled => ValueTask.FromCanceled<bool>(_canceledBy),
            _ => WaitThenMoveNextAsync(wait),
        };
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> WaitThenMoveNextAsync(ValueTask wait)
    {
        while (true)
        {
            await wait.ConfigureAwait(false);
            switch (Poll(out wait, out var error))
            {
                case Step.Item:
                    return true;
                case Step.End:
                    return false;
                case Step.Fault:
                    error!.Throw();
                    return false;
                case Step.Canceled:
                    throw new OperationCanceledException(_canceledBy);
            }
        }
    }

    /// <summary>Takes the next result or the final outcome, or arms the consumer's wait.</summary>
    private Step Poll(out ValueTask wait, out ExceptionDispatchInfo? error)
    {
        wait = default;
        error = null;
        var wakeProducer = false;
        Step step;
        lock (_gate)
        {
            step = TakeNext(ref wakeProducer, ref error);
            if (step == Step.Wait)
            {
                _consumerWaiting = true;
                wait = _consumerSignal.Arm();
            }
        }
        if (wakeProducer)
            _producerSignal.Set();
        return step;
    }

    private Step TakeNext(ref bool wakeProducer, ref ExceptionDispatchInfo? error)
    {
        if (_finished)
            return Step.End;
        if (_state != RunState.Running)
        {
            if (!Quiesced)
                return Step.Wait;
            _finished = true;
            error = _fault;
            return _state switch
            {
                RunState.Faulted => Step.Fault,
                RunState.Canceled => Step.Canceled,
                _ => Step.End,
            };
        }
        if (!_sink)
        {
            ref var entry = ref _buffer[(int)(_consumed & (_buffer.Length - 1))];
            if (entry.Ready)
            {
                _current = entry.Result;
                entry = default;
                _consumed++;
                _held--;
                wakeProducer = TakeProducerWaiter();
                return Step.Item;
            }
        }
        if (!Quiesced)
            return Step.Wait;
        _finished = true;
        error = _sink ? null : _sourceError;
        return error is null ? Step.End : Step.Fault;
    }
}
