using System.Threading.Tasks.Sources;

namespace Salvo.ConcurrencyLimiting;

/// <summary>A request waiting in a <see cref="ConcurrencyGate"/>'s line; completed once, with the way its wait ended.</summary>
internal sealed class Waiter(ConcurrencyGate gate) : IValueTaskSource<GateStatus>
{
    // Continuations run on the thread pool: the thread that frees a slot is returning another caller's response.
    private ManualResetValueTaskSourceCore<GateStatus> _core = new() { RunContinuationsAsynchronously = true };

    // Guarded by the gate's lock.
    public Waiter? Next { get; set; }

    public Waiter? Previous { get; set; }

    public bool Queued { get; set; }

    public CancellationTokenRegistration Registration { get; set; }

    public ValueTask<GateStatus> Task => new(this, _core.Version);

    public void Complete(GateStatus status) => _core.SetResult(status);

    public void Cancel() => gate.CancelWaiter(this);

    GateStatus IValueTaskSource<GateStatus>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<GateStatus>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<GateStatus>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
