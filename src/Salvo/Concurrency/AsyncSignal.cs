using System.Threading.Tasks.Sources;

namespace Salvo.Concurrency;

/// <summary>A reusable wake-up call for exactly one waiter at a time; waiting allocates nothing.</summary>
/// <remarks>
/// The fan-out engine has one producer and one consumer that each wait many times per run, so a
/// <see cref="TaskCompletionSource"/> per wait would allocate per item. The owner decides under its own lock
/// who waits and who wakes (a flag it keeps next to the signal), which guarantees one <see cref="Set"/> per
/// <see cref="Arm"/>. Continuations always run asynchronously so the waker never runs the waiter's code
/// (user code, after the consumer's await) on its own stack.
/// </remarks>
internal sealed class AsyncSignal : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

    /// <summary>Prepares a new wait; call under the owner's lock, then await the result outside it.</summary>
    public ValueTask Arm()
    {
        _core.Reset();
        return new ValueTask(this, _core.Version);
    }

    /// <summary>Wakes the waiter of the current <see cref="Arm"/>.</summary>
    public void Set() => _core.SetResult(true);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
