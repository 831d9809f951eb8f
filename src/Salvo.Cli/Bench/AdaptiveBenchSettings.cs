using Salvo.ConcurrencyLimiting;
using Salvo.Sandbox;

namespace Salvo.Cli.Bench;

/// <summary>The parameters of <c>salvo bench adaptive</c>, one flag each; the defaults keep the whole scenario under two minutes.</summary>
/// <param name="Duration">How long each run is measured, after its warm-up.</param>
/// <param name="Warmup">How long each run goes before measuring (connections, JIT, the adaptive limit's first probes).</param>
/// <param name="Requests">The most requests a run sends, warm-up included: a bound on top of the duration.</param>
/// <param name="Callers">Callers that each send one request after another: the concurrency offered to the client.</param>
/// <param name="Latency">The Sandbox's base latency per request.</param>
/// <param name="Capacity">The Sandbox's capacity: latency grows past it in flight, 503s past twice it.</param>
/// <param name="Fixed">The fixed limits to compare against.</param>
/// <param name="MinLimit">The adaptive limit's floor.</param>
/// <param name="MaxLimit">The adaptive limit's ceiling.</param>
/// <param name="InitialLimit">The adaptive limit after its first probe.</param>
/// <param name="ProbeInterval">How often the adaptive limit re-measures its baseline.</param>
/// <param name="Seed">The Sandbox's random seed (latency samples).</param>
internal sealed record AdaptiveBenchSettings(
    TimeSpan Duration,
    TimeSpan Warmup,
    int Requests,
    int Callers,
    SandboxLatency Latency,
    int Capacity,
    IReadOnlyList<int> Fixed,
    int MinLimit,
    int MaxLimit,
    int InitialLimit,
    TimeSpan ProbeInterval,
    int Seed)
{
    /// <summary>The default fixed limits: powers of two around the Sandbox's default knee (32) and shedding point (64).</summary>
    public const string DefaultFixed = "4,8,16,32,64,128,256";

    /// <summary>
    /// The bench probes every 5 s, six times as often as the library's default (30 s), so that each 8 s measurement pays for
    /// one or two probes rather than none: the adaptive number is a conservative one.
    /// </summary>
    public const string DefaultProbeInterval = "5s";

    /// <summary>The limits of the adaptive run.</summary>
    public ConcurrencyLimitOptions AdaptiveOptions()
    {
        var options = new ConcurrencyLimitOptions
        {
            Mode = ConcurrencyLimitMode.Adaptive,
            MinLimit = MinLimit,
            MaxLimit = MaxLimit,
            InitialLimit = InitialLimit,
        };
        options.Adaptive.ProbeInterval = ProbeInterval;
        options.Adaptive.MinRttWindow = ProbeInterval * 2;
        return options;
    }
}
