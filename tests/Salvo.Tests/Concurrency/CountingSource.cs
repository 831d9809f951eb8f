using System.Collections;

namespace Salvo.Tests.Concurrency;

/// <summary>A lazy sequence 0..count-1 that counts how often it is pulled, can throw, and reports disposal.</summary>
internal sealed class CountingSource(int count, int throwAt = -1, Exception? error = null) : IEnumerable<int>
{
    private int _pulled;
    private int _enumerations;

    /// <summary>How many items have been handed out so far.</summary>
    public int Pulled => Volatile.Read(ref _pulled);

    public int Enumerations => Volatile.Read(ref _enumerations);

    public AwaitableCounter PulledCounter { get; } = new();

    public TaskCompletionSource Exhausted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Called on each successful pull with the number pulled so far.</summary>
    public Action<int>? OnPulled { get; init; }

    public Exception Error { get; } = error ?? new InvalidOperationException("source failed");

    public IEnumerator<int> GetEnumerator()
    {
        Interlocked.Increment(ref _enumerations);
        return Iterate();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerator<int> Iterate()
    {
        try
        {
            for (var i = 0; i < count; i++)
            {
                if (i == throwAt)
                    throw Error;
                var pulled = Interlocked.Increment(ref _pulled);
                PulledCounter.Increment();
                OnPulled?.Invoke(pulled);
                yield return i;
            }
            Exhausted.TrySetResult();
        }
        finally
        {
            Disposed.TrySetResult();
        }
    }
}
