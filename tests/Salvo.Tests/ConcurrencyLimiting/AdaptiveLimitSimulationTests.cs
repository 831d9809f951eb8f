using Salvo.ConcurrencyLimiting;
using Salvo.Testing;
using Xunit.Abstractions;

namespace Salvo.Tests.ConcurrencyLimiting;

/// <summary>
/// <see cref="AdaptiveLimit"/> with its defaults in a closed loop against a model of the Sandbox's capacity knee, on a fake
/// clock: a server whose latency is <c>base × max(1, in flight / capacity)</c> and that sheds (a fast drop) above twice its
/// capacity, with callers that always have more requests waiting than the limit lets through.
/// </summary>
public class AdaptiveLimitSimulationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(60); // the last minute, two probes included

    [Theory]
    [InlineData(8, 10, 1)]
    [InlineData(32, 30, 2)]
    [InlineData(32, 30, 3)]
    [InlineData(64, 5, 4)]
    [InlineData(100, 50, 5)]
    public void Saturated_SettlesBetweenTheKneeAndTheSheddingPoint(int capacity, int baseMs, int seed)
    {
        var run = Simulate(capacity, TimeSpan.FromMilliseconds(baseMs), seed);
        output.WriteLine(run.ToString());

        var full = capacity / (baseMs / 1000.0);
        run.Goodput.ShouldBeGreaterThanOrEqualTo(0.9 * full, $"{run.Goodput:0} of {full:0} requests/s at capacity");
        run.DropRate.ShouldBeLessThanOrEqualTo(0.01);
        run.LowestLimit.ShouldBeGreaterThanOrEqualTo(capacity, "below the knee, throughput is given away");
        run.HighestLimit.ShouldBeLessThanOrEqualTo(2 * capacity, "above twice the capacity the server sheds");
    }

    [Fact]
    public void Saturated_ServerSlowsDownForGood_RebasesWithinSeconds()
    {
        // After 10 s every request takes twice as long at any load. That reads as queueing and drives the limit to the
        // floor, where five windows still above the tolerance show the baseline is stale: a re-probe replaces it, and the
        // limit climbs back above the knee long before the old baseline would have left its 60 s window.
        var run = Simulate(32, TimeSpan.FromMilliseconds(10), seed: 7, duration: TimeSpan.FromSeconds(30), measured: TimeSpan.FromSeconds(10),
            slowerAfter: TimeSpan.FromSeconds(10));
        output.WriteLine(run.ToString());

        run.LowestLimit.ShouldBeGreaterThanOrEqualTo(32);
        run.HighestLimit.ShouldBeLessThanOrEqualTo(64);
        run.Goodput.ShouldBeGreaterThanOrEqualTo(0.9 * 32 / 0.020);
    }

    private static SimulationResult Simulate(
        int capacity, TimeSpan baseLatency, int seed, TimeSpan? duration = null, TimeSpan? measured = null, TimeSpan? slowerAfter = null)
    {
        var end = duration ?? Duration;
        var window = measured ?? Measured;
        var clock = new FakeTimeProvider();
        var random = new Random(seed);
        var limit = new AdaptiveLimit(ConcurrencyLimitOptions.DefaultMinLimit, ConcurrencyLimitOptions.DefaultMaxLimit,
            ConcurrencyLimitOptions.DefaultInitialLimit, new AdaptiveLimitOptions(), clock);
        var inFlight = new PriorityQueue<(TimeSpan Rtt, bool Dropped), TimeSpan>();
        var now = TimeSpan.Zero;
        var measureFrom = end - window;
        long served = 0, dropped = 0;
        int lowest = int.MaxValue, highest = 0;
        while (now < end)
        {
            while (inFlight.Count < limit.Limit)
            {
                var load = inFlight.Count + 1;
                var shed = load > 2 * capacity;
                var latency = baseLatency * Math.Exp(0.3 * Normal(random)) * (slowerAfter is { } t && now >= t ? 2 : 1);
                var rtt = shed ? TimeSpan.FromMilliseconds(0.5) : latency * Math.Max(1, (double)load / capacity);
                inFlight.Enqueue((rtt, shed), now + rtt);
            }
            inFlight.TryDequeue(out var done, out var at);
            clock.Advance(at - now);
            now = at;
            limit.OnSample(done.Rtt, inFlight.Count + 1, done.Dropped);
            if (now < measureFrom)
                continue;
            if (done.Dropped)
                dropped++;
            else
                served++;
            if (!limit.IsProbing)
            {
                lowest = Math.Min(lowest, limit.Limit);
                highest = Math.Max(highest, limit.Limit);
            }
        }
        return new SimulationResult(served / window.TotalSeconds, dropped / (double)Math.Max(1, served + dropped), lowest, highest);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());

    private sealed record SimulationResult(double Goodput, double DropRate, int LowestLimit, int HighestLimit);
}
