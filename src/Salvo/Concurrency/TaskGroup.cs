using System.Runtime.ExceptionServices;

namespace Salvo.Concurrency;

/// <summary>
/// A scope for tasks started one by one (with an optional bound on how many run at once) whose results are
/// collected in submission order. Pulsefire's <c>TaskGroup</c> done properly.
/// </summary>
/// <typeparam name="T">The type of the tasks' values.</typeparam>
/// <remarks>
/// <para>
/// Use it when the work is discovered as you go (pages, links, retries) rather than known up front; for a
/// known sequence <see cref="ConcurrentEnumerable.SelectConcurrentAsync{TSource, TResult}(IEnumerable{TSource}, Func{TSource, CancellationToken, Task{TResult}}, ConcurrencyOptions, CancellationToken)"/>
/// streams results with flat memory instead.
/// </para>
/// <para>
/// Compared with Pulsefire's group (an optional semaphore plus internal result collection): a bounded
/// <see cref="StartAsync"/> waits for a free slot <em>before</em> the work is created, so queued work never
/// piles up in memory; every task gets the group's <see cref="Token"/>, so <see cref="Cancel"/>, a failure in
/// <see cref="ErrorMode.FailFast"/> mode, or disposing an un-awaited group actually stops the work; results
/// come back in submission order whatever order the tasks finish in; and
/// <see cref="WhenAllSettledAsync"/> hands back every value and error without throwing. Like
/// <c>asyncio.TaskGroup</c>, a group never lets its tasks outlive it: <see cref="DisposeAsync"/> waits for them.
/// </para>
/// <para>
/// <see cref="StartAsync"/> is thread-safe and invokes the work on the calling thread (as calling an async
/// method does); <see cref="WhenAllAsync"/> and <see cref="WhenAllSettledAsync"/> close the group to new work.
/// </para>
/// </remarks>
public sealed partial class TaskGroup<T> : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly CancellationToken _token;
    private readonly CancellationToken _externalToken;
    private readonly CancellationTokenRegistration _externalRegistration;
    private readonly SemaphoreSlim? _slots;
    private readonly bool _failFast;

    // Guarded by _gate.
    private readonly List<Outcome<T>> _outcomes = [];
    private int _running;
    private int _active;
    private bool _closed;
    private bool _awaited;
    private bool _disposed;
    private CancelReason _cancelReason;
    private CancellationToken _waiterToken;
    private ExceptionDispatchInfo? _firstFailure;
    private TaskCompletionSource? _drained;

    /// <summary>Creates a group.</summary>
    /// <param name="options">The bound and the error mode; <see langword="null"/> for an unbounded group that collects failures.</param>
    /// <param name="cancellationToken">Cancels the group (and so <see cref="Token"/>) when cancelled.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> holds an undefined error mode.</exception>
    public TaskGroup(TaskGroupOptions? options = null, CancellationToken cancellationToken = default)
    {
        var errors = options?.Errors ?? ErrorMode.Collect;
        if (errors is not (ErrorMode.Collect or ErrorMode.FailFast))
            throw new ArgumentOutOfRangeException(nameof(options), errors, "Unknown error mode.");
        _failFast = errors == ErrorMode.FailFast;
        if (options?.MaxConcurrency is { } limit)
            _slots = new SemaphoreSlim(limit, limit);
        _token = _cts.Token;
        _externalToken = cancellationToken;
        if (cancellationToken.CanBeCanceled)
            _externalRegistration = cancellationToken.UnsafeRegister(static state => ((TaskGroup<T>)state!).CancelCore(CancelReason.External), this);
    }

    private enum CancelReason
    {
        None,
        Canceled,
        External,
        Waiter,
        Failed,
        Disposed,
    }

    /// <summary>The token every task of the group receives.</summary>
    /// <remarks>
    /// Cancelled by <see cref="Cancel"/>, by the token given to the constructor, by the first failure in
    /// <see cref="ErrorMode.FailFast"/> mode, by cancelling a <c>WhenAll</c> wait, and by disposing a group that
    /// was never awaited.
    /// </remarks>
    public CancellationToken Token => _token;

    /// <summary>The number of tasks started so far.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _outcomes.Count;
        }
    }

    /// <summary>The number of tasks running now.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
                return _running;
        }
    }

    /// <summary>Cancels <see cref="Token"/>, asking every running task to stop; later <see cref="StartAsync"/> calls throw <see cref="OperationCanceledException"/>.</summary>
    /// <remarks>The group's <c>WhenAll</c> methods then wait for running tasks to stop; <see cref="WhenAllAsync"/> throws <see cref="OperationCanceledException"/>.</remarks>
    public void Cancel() => CancelCore(CancelReason.Canceled);

    /// <summary>Records why the group stops (the first reason wins) and cancels its token.</summary>
    /// <returns><see langword="true"/> when this call cancelled the group.</returns>
    private bool CancelCore(CancelReason reason, ExceptionDispatchInfo? failure = null, CancellationToken waiterToken = default)
    {
        lock (_gate)
        {
            if (_cancelReason != CancelReason.None)
                return false;
            _cancelReason = reason;
            _firstFailure = failure;
            _waiterToken = waiterToken;
        }
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposal finished first: every task has stopped, so there is nothing left to cancel.
        }
        catch (AggregateException)
        {
            // A callback a task registered on the token threw; that task reports its own failure.
        }
        return true;
    }
}
