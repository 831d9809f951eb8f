namespace Salvo.Sandbox.Runtime;

/// <summary>A seedable <see cref="Random"/> shared by concurrent requests: every draw takes a lock.</summary>
internal sealed class SandboxRandom(int? seed)
{
    private readonly Lock _gate = new();
    private readonly Random _random = seed is { } s ? new Random(s) : new Random();

    public double NextDouble()
    {
        lock (_gate)
            return _random.NextDouble();
    }

    public int Next(int minValue, int maxValue)
    {
        lock (_gate)
            return _random.Next(minValue, maxValue);
    }

    public void NextBytes(Span<byte> buffer)
    {
        lock (_gate)
            _random.NextBytes(buffer);
    }

    public TimeSpan Sample(SandboxLatency latency)
    {
        if (latency.Kind == SandboxLatencyKind.None)
            return TimeSpan.Zero;
        lock (_gate)
            return latency.Sample(_random);
    }
}
