namespace Salvo.Sandbox.Runtime;

/// <summary>The API requests in flight that count toward <see cref="SandboxOptions.Capacity"/>.</summary>
internal sealed class LoadGauge
{
    private long _inFlight;

    public long InFlight => Interlocked.Read(ref _inFlight);

    public long Enter() => Interlocked.Increment(ref _inFlight);

    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
