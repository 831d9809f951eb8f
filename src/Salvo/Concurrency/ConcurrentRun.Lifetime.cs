namespace Salvo.Concurrency;

internal sealed partial class ConcurrentRun<TSource, TResult>
{
    /// <summary>Starts the run on the first <see cref="MoveNextAsync"/>, so an enumerable does no work until enumerated.</summary>
    private void Start()
    {
        _started = true;
        if (_callerToken.CanBeCanceled)
            _callerRegistration = _callerToken.UnsafeRegister(static (state, token) => ((ConcurrentRun<TSource, TResult>)state!).OnCallerCanceled(token), this);
        if (_enumeratorToken.CanBeCanceled && _enumeratorToken != _callerToken)
            _enumeratorRegistration = _enumeratorToken.UnsafeRegister(static (state, token) => ((ConcurrentRun<TSource, TResult>)state!).OnCallerCanceled(token), this);
        bool run;
        lock (_gate)
        {
            run = _state == RunState.Running;
            if (!run)
                _producerDone = true;
        }
        if (run)
            ThreadPool.QueueUserWorkItem(static self => _ = self.ProduceAsync(), this, preferLocal: false);
    }

    private void OnCallerCanceled(CancellationToken token)
    {
        bool wakeProducer, wakeConsumer;
        lock (_gate)
        {
            if (_state != RunState.Running || _finished)
                return;
            _state = RunState.Canceled;
            _canceledBy = token;
            wakeProducer = TakeProducerWaiter();
            wakeConsumer = TakeConsumerWaiterIfReady();
        }
        CancelWork();
        if (wakeProducer)
            _producerSignal.Set();
        if (wakeConsumer)
            _consumerSignal.Set();
    }

    /// <summary>Stops the run if it is still going and returns once nothing it started is running. Never throws.</summary>
    /// <remarks>
    /// Called by <c>await foreach</c> after a <c>break</c>, an exception in the loop body or the end. Work is
    /// cancelled through the token the items were given, then awaited: an item that ignores its token delays
    /// this call rather than leaking past it.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        bool cancel, wakeProducer, mustWait;
        var wait = default(ValueTask);
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _finished = true;
            if (!_started)
                _producerDone = true;
            cancel = !Quiesced;
            if (_state == RunState.Running)
                _state = RunState.Disposed;
            wakeProducer = TakeProducerWaiter();
            mustWait = !Quiesced;
            if (mustWait)
            {
                _consumerWaiting = true;
                wait = _consumerSignal.Arm();
            }
        }
        if (cancel)
            CancelWork();
        if (wakeProducer)
            _producerSignal.Set();
        if (mustWait)
            await wait.ConfigureAwait(false);
        await _callerRegistration.DisposeAsync().ConfigureAwait(false);
        await _enumeratorRegistration.DisposeAsync().ConfigureAwait(false);
        _cts.Dispose();
        lock (_gate)
        {
            Array.Clear(_buffer);
            _runners.Clear();
            _current = default;
        }
    }
}
