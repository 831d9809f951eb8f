using System.Collections.Concurrent;

namespace Salvo.Tests.Concurrency;

/// <summary>Deterministic signalling for concurrency tests: gates to release items and counters to await.</summary>
internal static class TestSignals
{
    /// <summary>A guard against hangs: a wait that should succeed at once fails the test instead of blocking forever.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task Within(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> Within<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Timeout);
}

/// <summary>One <see cref="TaskCompletionSource{T}"/> per index, created on first use.</summary>
internal sealed class Gates<T>
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource<T>> _gates = new();

    public TaskCompletionSource<T> this[int index] =>
        _gates.GetOrAdd(index, static _ => new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Waits for the gate of <paramref name="index"/>, honouring the token like a well-behaved HTTP call.</summary>
    public Task<T> WaitAsync(int index, CancellationToken cancellationToken) => this[index].Task.WaitAsync(cancellationToken);
}

/// <summary>A counter whose values can be awaited.</summary>
internal sealed class AwaitableCounter
{
    private readonly object _gate = new();
    private readonly List<(int Target, TaskCompletionSource Signal)> _waiters = [];
    private int _value;

    public int Value
    {
        get
        {
            lock (_gate)
                return _value;
        }
    }

    public int Increment()
    {
        List<TaskCompletionSource>? ready = null;
        int value;
        lock (_gate)
        {
            value = ++_value;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target <= value)
                {
                    (ready ??= []).Add(_waiters[i].Signal);
                    _waiters.RemoveAt(i);
                }
            }
        }
        ready?.ForEach(static s => s.TrySetResult());
        return value;
    }

    /// <summary>Completes once the counter has reached <paramref name="target"/>.</summary>
    public Task WhenAtLeast(int target)
    {
        lock (_gate)
        {
            if (_value >= target)
                return Task.CompletedTask;
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, signal));
            return signal.Task.WaitAsync(TestSignals.Timeout);
        }
    }
}

/// <summary>Tracks how many operations run at once and the most ever seen.</summary>
internal sealed class InFlightTracker
{
    private int _current;
    private int _max;

    public int Max => Volatile.Read(ref _max);

    public int Current => Volatile.Read(ref _current);

    public void Enter()
    {
        var now = Interlocked.Increment(ref _current);
        int seen;
        while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
        }
    }

    public void Exit() => Interlocked.Decrement(ref _current);
}
