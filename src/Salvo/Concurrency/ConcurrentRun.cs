using System.Numerics;
using System.Runtime.ExceptionServices;

namespace Salvo.Concurrency;

/// <summary>
/// One enumeration of a bounded fan-out: a producer pulls the source, starts each item and a consumer takes
/// the results, with at most <c>MaxConcurrency</c> items between "pulled" and "taken".
/// </summary>
/// <remarks>
/// <para>
/// Everything shared is guarded by one lock and every critical section is a few field updates, so the lock is
/// cheap and the engine needs no semaphore, channel or per-item allocation. A slot is taken before the
/// source is pulled and given back only when the consumer takes the result; so a slow consumer stops the
/// producer, which stops pulling the source (memory stays O(bound) however long the source is).
/// </para>
/// <para>
/// Results go into a ring buffer keyed by a sequence number: the item's input index for
/// <see cref="ResultOrder.Input"/> (a bounded reorder window) or the order of completion for
/// <see cref="ResultOrder.Completion"/>. Either way the consumer reads position <c>_consumed</c>, and the slot
/// bound guarantees live keys lie within one buffer length of it.
/// </para>
/// <para>
/// In sink mode (used by <c>ForEachConcurrentAsync</c>) no consumer reads results: a finished item gives its
/// slot back at once, failures are collected, and <see cref="MoveNextAsync"/> only reports the end.
/// </para>
/// <para>
/// Terminal outcomes (fault, cancellation) are reported only once the run is quiescent: the producer has
/// stopped and no item is running. So no work outlives the enumeration, even for a consumer that never disposes.
/// </para>
/// </remarks>
internal sealed partial class ConcurrentRun<TSource, TResult> : IAsyncEnumerator<ItemResult<TSource, TResult>>
{
    private const int InitialBufferLength = 32;

    private readonly object _gate = new();
    private readonly IEnumerable<TSource>? _source;
    private readonly IAsyncEnumerable<TSource>? _asyncSource;
    private readonly Func<TSource, CancellationToken, Task<TResult>>? _selector;
    private readonly Func<TSource, CancellationToken, Task>? _body;
    private readonly int _maxConcurrency;
    private readonly bool _inputOrder;
    private readonly bool _failFast;
    private readonly bool _sink;
    private readonly CancellationTokenSource _cts = new();
    private readonly CancellationToken _token;
    private readonly CancellationToken _callerToken;
    private readonly CancellationToken _enumeratorToken;
    private readonly AsyncSignal _consumerSignal = new();
    private readonly AsyncSignal _producerSignal = new();
    private readonly Stack<ItemRunner<TSource, TResult>> _runners = new();
    private CancellationTokenRegistration _callerRegistration;
    private CancellationTokenRegistration _enumeratorRegistration;

    // Guarded by _gate.
    private Entry[] _buffer;
    private long _consumed;
    private long _published;
    private int _held;
    private int _running;
    private bool _started;
    private bool _producerDone;
    private bool _finished;
    private bool _disposed;
    private bool _consumerWaiting;
    private bool _producerWaiting;
    private RunState _state;
    private ExceptionDispatchInfo? _fault;
    private ExceptionDispatchInfo? _sourceError;
    private CancellationToken _canceledBy;
    private List<ConcurrentItemException>? _failures;
    private ItemResult<TSource, TResult> _current;

    // Touched only by the producer.
    private int _nextIndex;

    private ConcurrentRun(
        IEnumerable<TSource>? source,
        IAsyncEnumerable<TSource>? asyncSource,
        Func<TSource, CancellationToken, Task<TResult>>? selector,
        Func<TSource, CancellationToken, Task>? body,
        int maxConcurrency,
        ResultOrder order,
        ErrorMode errors,
        CancellationToken callerToken,
        CancellationToken enumeratorToken)
    {
        _source = source;
        _asyncSource = asyncSource;
        _selector = selector;
        _body = body;
        _sink = body is not null;
        _maxConcurrency = maxConcurrency;
        _inputOrder = order == ResultOrder.Input;
        _failFast = errors == ErrorMode.FailFast;
        _token = _cts.Token;
        _callerToken = callerToken;
        _enumeratorToken = enumeratorToken;
        _buffer = _sink ? [] : new Entry[Math.Min(InitialBufferLength, (int)BitOperations.RoundUpToPowerOf2((uint)maxConcurrency))];
    }

    private enum RunState
    {
        Running,
        Faulted,
        Canceled,
        Disposed,
    }

    /// <summary>A run that hands each result to a consumer.</summary>
    public static ConcurrentRun<TSource, TResult> ForSelect(
        IEnumerable<TSource>? source,
        IAsyncEnumerable<TSource>? asyncSource,
        Func<TSource, CancellationToken, Task<TResult>> selector,
        int maxConcurrency,
        ResultOrder order,
        ErrorMode errors,
        CancellationToken callerToken,
        CancellationToken enumeratorToken) =>
        new(source, asyncSource, selector, null, maxConcurrency, order, errors, callerToken, enumeratorToken);

    /// <summary>A run with no consumer of values: it collects failures and reports only the end.</summary>
    public static ConcurrentRun<TSource, TResult> ForEach(
        IEnumerable<TSource>? source,
        IAsyncEnumerable<TSource>? asyncSource,
        Func<TSource, CancellationToken, Task> body,
        int maxConcurrency,
        ErrorMode errors,
        CancellationToken callerToken) =>
        new(source, asyncSource, null, body, maxConcurrency, ResultOrder.Completion, errors, callerToken, default);

    /// <summary>The producer has stopped and no item is running; nothing the run started is still going.</summary>
    private bool Quiesced => _producerDone && _running == 0;

    /// <summary>Claims the producer's wake-up if it is waiting. Call under the lock; Set the signal outside it.</summary>
    private bool TakeProducerWaiter()
    {
        if (!_producerWaiting)
            return false;
        _producerWaiting = false;
        return true;
    }

    /// <summary>Claims the consumer's wake-up if it waits and can now make progress. Call under the lock.</summary>
    private bool TakeConsumerWaiterIfReady()
    {
        if (!_consumerWaiting || !ConsumerCanProceed())
            return false;
        _consumerWaiting = false;
        return true;
    }

    private bool ConsumerCanProceed()
    {
        if (_state != RunState.Running || _sink)
            return Quiesced;
        return _buffer[(int)(_consumed & (_buffer.Length - 1))].Ready || Quiesced;
    }

    /// <summary>Cancels the token the items and the source were given. Never call under the lock: callbacks run inline.</summary>
    private void CancelWork()
    {
        try
        {
            _cts.Cancel();
        }
        catch (AggregateException)
        {
            // A callback that a selector registered on the token threw. The run is stopping already and the
            // selector's own task reports what went wrong with it; there is no one else to tell.
        }
    }

    private struct Entry
    {
        public bool Ready;
        public ItemResult<TSource, TResult> Result;
    }
}
