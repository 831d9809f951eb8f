namespace Salvo.Sandbox;

/// <summary>
/// A distribution of simulated processing times. Immutable; create one with <see cref="Fixed"/>,
/// <see cref="Uniform"/>, <see cref="LogNormal"/> or <see cref="Parse"/>.
/// </summary>
public sealed partial record SandboxLatency
{
    // z such that P(Z < z) = 0.99 for a standard normal: p99 = median * exp(sigma * z).
    private const double NormalP99 = 2.3263478740408408;

    // A log-normal tail is unbounded; one hour keeps a pathological sample from overflowing a TimeSpan.
    private static readonly TimeSpan MaximumSample = TimeSpan.FromHours(1);

    private readonly TimeSpan _first;
    private readonly TimeSpan _second;

    private SandboxLatency(SandboxLatencyKind kind, TimeSpan first, TimeSpan second)
    {
        Kind = kind;
        _first = first;
        _second = second;
    }

    /// <summary>Gets no added latency.</summary>
    public static SandboxLatency None { get; } = new(SandboxLatencyKind.None, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>Gets the shape of the distribution.</summary>
    public SandboxLatencyKind Kind { get; }

    /// <summary>Creates a latency that is always <paramref name="delay"/>.</summary>
    /// <param name="delay">The delay; zero means <see cref="None"/>.</param>
    /// <returns>The latency.</returns>
    public static SandboxLatency Fixed(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return delay == TimeSpan.Zero ? None : new(SandboxLatencyKind.Fixed, delay, delay);
    }

    /// <summary>Creates a latency drawn uniformly between <paramref name="minimum"/> and <paramref name="maximum"/>.</summary>
    /// <param name="minimum">The smallest delay.</param>
    /// <param name="maximum">The largest delay; not less than <paramref name="minimum"/>.</param>
    /// <returns>The latency.</returns>
    public static SandboxLatency Uniform(TimeSpan minimum, TimeSpan maximum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimum, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, minimum);
        return new(SandboxLatencyKind.Uniform, minimum, maximum);
    }

    /// <summary>Creates a log-normal latency: half the requests faster than <paramref name="median"/>, 1% slower than <paramref name="p99"/>.</summary>
    /// <param name="median">The median delay; greater than zero.</param>
    /// <param name="p99">The 99th percentile; not less than <paramref name="median"/>.</param>
    /// <returns>The latency.</returns>
    public static SandboxLatency LogNormal(TimeSpan median, TimeSpan p99)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(median, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(p99, median);
        return new(SandboxLatencyKind.LogNormal, median, p99);
    }

    /// <summary>Draws one delay from the distribution.</summary>
    /// <param name="random">The random source (not used by <see cref="SandboxLatencyKind.None"/> and <see cref="SandboxLatencyKind.Fixed"/>).</param>
    /// <returns>The delay.</returns>
    public TimeSpan Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        switch (Kind)
        {
            case SandboxLatencyKind.Fixed:
                return _first;
            case SandboxLatencyKind.Uniform:
                return _first + TimeSpan.FromTicks((long)(random.NextDouble() * (_second - _first).Ticks));
            case SandboxLatencyKind.LogNormal:
                var sigma = Math.Log(_second.Ticks / (double)_first.Ticks) / NormalP99;
                var ticks = _first.Ticks * Math.Exp(sigma * StandardNormal(random));
                return ticks >= MaximumSample.Ticks ? MaximumSample : TimeSpan.FromTicks((long)ticks);
            default:
                return TimeSpan.Zero;
        }
    }

    // Box-Muller transform; 1 - NextDouble() is in (0, 1] so the logarithm is finite.
    private static double StandardNormal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
