using Salvo.ConcurrencyLimiting;
using Salvo.Testing;

namespace Salvo.Tests.ConcurrencyLimiting;

/// <summary>
/// The maths of <see cref="AdaptiveLimit"/> on a fake clock. Expectations are computed from the option constants, so each
/// test pins the formula, not today's tuning.
/// </summary>
public class AdaptiveLimitTests
{
    private const double S = AdaptiveLimitOptions.DefaultSmoothing;
    private const double Tolerance = AdaptiveLimitOptions.DefaultTolerance;
    private const double Backoff = AdaptiveLimitOptions.DefaultBackoffRatio;
    private const int Samples = AdaptiveLimitOptions.DefaultSampleCount;
    private static readonly TimeSpan Rtt = TimeSpan.FromMilliseconds(10);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void New_ProbesAtMinimumThenStartsAtInitial()
    {
        var limit = Create();

        limit.IsProbing.ShouldBeTrue();
        limit.Limit.ShouldBe(4);
        limit.MinRtt.ShouldBeNull();

        Window(limit, Rtt, inFlight: 4);

        limit.IsProbing.ShouldBeFalse();
        limit.Limit.ShouldBe(20);
        limit.MinRtt.ShouldBe(Rtt);
    }

    [Fact]
    public void OnSample_RttAtBaseline_GrowsBySmoothedSquareRootPerWindow()
    {
        var limit = Probed();

        Window(limit, Rtt, inFlight: 20);

        // 20 × (1 − s) + s × (20 × 1 + √20): the queue allowance, smoothed.
        limit.Estimate.ShouldBe(20 + (S * Math.Sqrt(20)), 1e-9);
        for (var i = 0; i < 20; i++)
            Window(limit, Rtt, inFlight: limit.Limit);
        limit.Limit.ShouldBeGreaterThan(30);
    }

    [Fact]
    public void OnSample_RttWithinTolerance_GrowsAsAtTheBaseline()
    {
        var limit = Probed();

        Window(limit, Rtt * ((1 + Tolerance) / 2), inFlight: 20); // above the baseline, below the tolerance: noise, not queueing

        limit.Estimate.ShouldBe(20 + (S * Math.Sqrt(20)), 1e-9);
    }

    [Fact]
    public void OnSample_RttRises_ShrinksAlongTheGradient()
    {
        var limit = Probed();

        Window(limit, Rtt * 2, inFlight: 20);

        var gradient = Tolerance * 10 / 20;
        limit.Estimate.ShouldBe((20 * (1 - S)) + (S * ((20 * gradient) + Math.Sqrt(20))), 1e-9);
    }

    [Fact]
    public void OnSample_RttFarAboveBaseline_GradientIsClampedAtHalf()
    {
        // A baseline that stays in the window for the whole test (each window here lasts two seconds).
        var options = new AdaptiveLimitOptions { ProbeInterval = Timeout.InfiniteTimeSpan, MinRttWindow = TimeSpan.FromHours(1) };
        var limit = new AdaptiveLimit(4, 256, 20, options, _clock);
        Window(limit, Rtt, inFlight: 4);

        Window(limit, Rtt * 10, inFlight: 20);

        limit.Estimate.ShouldBe((20 * (1 - S)) + (S * ((20 * 0.5) + Math.Sqrt(20))), 1e-9, "a tenfold rise cuts no more than halving would");
        for (var i = 0; i < 100 && limit.Limit > 4; i++)
            Window(limit, Rtt * 10, inFlight: limit.IsProbing ? limit.MinLimit : limit.Limit);
        limit.Limit.ShouldBe(4, "clamped at 0.5 the limit falls to where 0.5 × L + √L = L, which is the minimum");
    }

    [Fact]
    public void Probe_HeldAtTheFloorByLatency_RebasesOnTheNewLatency()
    {
        var options = new AdaptiveLimitOptions { ProbeInterval = Timeout.InfiniteTimeSpan, MinRttWindow = TimeSpan.FromHours(1) };
        var limit = new AdaptiveLimit(4, 256, 4, options, _clock);
        Window(limit, Rtt, inFlight: 4);
        var slower = Rtt * 10; // the server became ten times slower for good, at any load

        for (var i = 0; i < 5; i++)
        {
            limit.IsProbing.ShouldBeFalse($"{i} windows at the floor");
            Window(limit, slower, inFlight: 4);
        }
        limit.IsProbing.ShouldBeTrue("five windows at the floor and still above the tolerance: the baseline is stale");
        Sample(limit, slower, inFlight: 4);
        Window(limit, slower, inFlight: 4);

        limit.IsProbing.ShouldBeFalse();
        limit.MinRtt.ShouldBe(slower, "the re-probe replaced the old minimum instead of joining the sliding minimum");
        Window(limit, slower, inFlight: 4);
        limit.Estimate.ShouldBe(4 + (S * 2), 1e-9, "at the new baseline the limit grows again, by s × √4");
    }

    [Fact]
    public void Probe_AtTheFloorWithoutQueueing_DoesNotRebase()
    {
        var options = new AdaptiveLimitOptions { ProbeInterval = Timeout.InfiniteTimeSpan, MinRttWindow = TimeSpan.FromHours(1) };
        var limit = new AdaptiveLimit(4, 256, 4, options, _clock);
        Window(limit, Rtt, inFlight: 4);
        var probes = 0;

        for (var i = 0; i < 30 * Samples; i++)
        {
            var wasProbing = limit.IsProbing;
            Sample(limit, Rtt, inFlight: wasProbing ? 4 : 1); // the caller sends one at a time: app-limited at the floor
            if (limit.IsProbing && !wasProbing)
                probes++;
        }

        probes.ShouldBe(1, "only the warm probe, ten windows in");
        limit.Limit.ShouldBe(4);
        limit.MinRtt.ShouldBe(Rtt);
    }

    [Fact]
    public void OnSample_AppLimited_DoesNotGrow()
    {
        var limit = Probed();

        for (var i = 0; i < 10; i++)
            Window(limit, Rtt, inFlight: 9); // less than half of 20 ever used

        limit.Estimate.ShouldBe(20);
    }

    [Fact]
    public void OnSample_AppLimited_StillShrinksOnQueueing()
    {
        var limit = Probed();

        Window(limit, Rtt * 2, inFlight: 9);

        limit.Estimate.ShouldBeLessThan(20, "unused headroom blocks growth, never a decrease the latency asks for");
    }

    [Fact]
    public void OnSample_Dropped_DecreasesOncePerRoundTrip()
    {
        var limit = Probed();
        _clock.Advance(TimeSpan.FromSeconds(1));

        limit.OnSample(Rtt, 20, dropped: true);
        limit.Estimate.ShouldBe(20 * Backoff, 1e-9);

        _clock.Advance(TimeSpan.FromMilliseconds(5));
        limit.OnSample(Rtt, 20, dropped: true); // sent 10 ms ago, before the decrease 5 ms ago: same episode
        limit.Estimate.ShouldBe(20 * Backoff, 1e-9);

        _clock.Advance(TimeSpan.FromMilliseconds(10));
        limit.OnSample(Rtt, 20, dropped: true); // sent 10 ms ago, after the decrease 15 ms ago: overload persists
        limit.Estimate.ShouldBe(20 * Backoff * Backoff, 1e-9);
    }

    [Fact]
    public void OnSample_Dropped_IsNotALatencySample()
    {
        var limit = Probed();
        _clock.Advance(TimeSpan.FromSeconds(1));

        limit.OnSample(TimeSpan.FromMilliseconds(1), 20, dropped: true); // a fast 503: no sample, and no baseline
        var afterDrop = limit.Estimate;
        for (var i = 0; i < Samples - 1; i++)
            Sample(limit, Rtt, 20);
        limit.Estimate.ShouldBe(afterDrop, "the drop did not count towards the window");
        Sample(limit, Rtt, 20);

        limit.Estimate.ShouldBe(afterDrop + (S * Math.Sqrt(afterDrop)), 1e-9);
        limit.MinRtt.ShouldBe(Rtt);
    }

    [Fact]
    public void OnSample_Dropped_StartsANewWindow()
    {
        var limit = Probed();
        for (var i = 0; i < Samples - 1; i++)
            Sample(limit, Rtt * 10, 20); // queueing that, at the window's close, would shrink the limit along the gradient

        limit.OnSample(Rtt, 20, dropped: true);
        var afterDrop = limit.Estimate;
        Window(limit, Rtt, inFlight: 20);

        afterDrop.ShouldBe(20 * Backoff, 1e-9);
        limit.Estimate.ShouldBe(afterDrop + (S * Math.Sqrt(afterDrop)), 1e-9, "the samples sent before the drop were not judged again");
    }

    [Fact]
    public void OnSample_DroppedWhileProbing_LowersTheLimitRestoredAfterwards()
    {
        var limit = Create();

        limit.OnSample(Rtt, 4, dropped: true);
        limit.Limit.ShouldBe(4, "a probe stays at the minimum");
        Window(limit, Rtt, inFlight: 4);

        limit.Limit.ShouldBe((int)(20 * Backoff));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void OnSample_AnySequence_StaysWithinMinAndMax(int seed)
    {
        var random = new Random(seed);
        var options = new AdaptiveLimitOptions { ProbeInterval = TimeSpan.FromSeconds(2), MinRttWindow = TimeSpan.FromSeconds(4), SampleCount = 3 };
        var limit = new AdaptiveLimit(3, 40, 10, options, _clock);

        for (var i = 0; i < 20_000; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(random.Next(0, 50)));
            var rtt = TimeSpan.FromMilliseconds(random.Next(0, 2) == 0 ? random.Next(1, 20) : random.Next(1, 2_000));
            var result = limit.OnSample(rtt, random.Next(0, 60), dropped: random.NextDouble() < 0.05);

            result.ShouldBe(limit.Limit);
            result.ShouldBeInRange(3, 40);
            limit.Estimate.ShouldBeInRange(3, 40);
            if (limit.IsProbing)
                result.ShouldBe(3);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void OnSample_LatencyNeverAboveTolerance_NeverDecreases(int seed)
    {
        var random = new Random(seed);
        var limit = Probed();
        var previous = limit.Estimate;

        for (var i = 0; i < 5_000; i++)
        {
            var rtt = Rtt * (1 + (random.NextDouble() * (Tolerance - 1))); // never below the first probe's baseline, either
            Sample(limit, rtt, limit.IsProbing ? limit.MinLimit : limit.Limit);
            limit.Estimate.ShouldBeGreaterThanOrEqualTo(previous);
            previous = limit.Estimate;
        }
        limit.Limit.ShouldBe(limit.MaxLimit, "with no queueing and no loss it climbs to the ceiling");
    }

    [Fact]
    public void MinRtt_OldMinimumSlidesOutOfTheWindow()
    {
        var options = new AdaptiveLimitOptions { ProbeInterval = TimeSpan.FromSeconds(10), MinRttWindow = TimeSpan.FromSeconds(30) };
        var limit = new AdaptiveLimit(4, 256, 20, options, _clock);
        Window(limit, Rtt, inFlight: 4);
        var slower = Rtt * 1.2; // the server became slower for good: probes measure it too

        Run(limit, slower, TimeSpan.FromSeconds(20));
        limit.MinRtt.ShouldBe(Rtt, "20 s later the first probe's minimum is still in the 30 s window");

        Run(limit, slower, TimeSpan.FromSeconds(20));
        limit.MinRtt.ShouldBe(slower, "40 s later it has slid out, and later probes measured the slower server");
    }

    [Fact]
    public void Probe_AfterInterval_PinsToMinimumDrainsMeasuresAndRestores()
    {
        var options = new AdaptiveLimitOptions { ProbeInterval = TimeSpan.FromSeconds(10), MinRttWindow = TimeSpan.FromSeconds(20) };
        var limit = new AdaptiveLimit(4, 256, 20, options, _clock);
        Window(limit, Rtt, inFlight: 4);
        _clock.Advance(TimeSpan.FromSeconds(11));

        Window(limit, Rtt * 2.5, inFlight: 20); // the window that closes past the interval starts a probe
        var learned = limit.Estimate;
        limit.IsProbing.ShouldBeTrue();
        limit.Limit.ShouldBe(4);

        Sample(limit, Rtt, inFlight: 12); // still draining: ignored
        Sample(limit, Rtt, inFlight: 4);  // drained: measuring starts now
        _clock.Advance(Rtt);
        limit.OnSample(Rtt * 3, inFlight: 4, dropped: false); // sent before measuring started: ignored
        limit.IsProbing.ShouldBeTrue();
        var slower = Rtt * 2;
        Window(limit, slower, inFlight: 4);

        limit.IsProbing.ShouldBeFalse();
        limit.Estimate.ShouldBe(learned);
        limit.Limit.ShouldBe((int)learned);
        limit.MinRtt.ShouldBe(Rtt, "the earlier minimum is still in the window");
        _clock.Advance(TimeSpan.FromSeconds(13)); // 25 s in: the first minimum has slid out, the probe's has not
        for (var i = 0; i < 3; i++)
            Window(limit, slower * 1.2, inFlight: limit.Limit);
        limit.MinRtt.ShouldBe(slower, "the probe's measurement outlives the old minimum, so the baseline went up to it");
    }

    [Fact]
    public void Probe_SecondProbeTenWindowsIn_ReplacesAColdBaseline()
    {
        var options = new AdaptiveLimitOptions { ProbeInterval = Timeout.InfiniteTimeSpan };
        var limit = new AdaptiveLimit(4, 256, 20, options, _clock);
        Window(limit, Rtt * 3, inFlight: 4); // cold: new connections, unjitted code

        for (var i = 0; i < 10; i++)
        {
            limit.IsProbing.ShouldBeFalse();
            Window(limit, Rtt, inFlight: limit.Limit);
        }
        limit.IsProbing.ShouldBeTrue("the warm probe starts ten windows after the first");
        Sample(limit, Rtt, inFlight: 4);
        Window(limit, Rtt, inFlight: 4);

        limit.IsProbing.ShouldBeFalse();
        limit.MinRtt.ShouldBe(Rtt);
    }

    [Fact]
    public void Probe_Disabled_ProbesOnlyAtStartAndOnceWarm()
    {
        var options = new AdaptiveLimitOptions { ProbeInterval = Timeout.InfiniteTimeSpan };
        var limit = new AdaptiveLimit(4, 256, 20, options, _clock);
        Window(limit, Rtt, inFlight: 4);
        var probes = 1;
        var wasProbing = false;

        for (var i = 0; i < 1_000; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            Window(limit, Rtt, inFlight: limit.IsProbing ? limit.MinLimit : limit.Limit);
            if (limit.IsProbing && !wasProbing)
                probes++;
            wasProbing = limit.IsProbing;
        }

        probes.ShouldBe(2);
        limit.IsProbing.ShouldBeFalse();
    }

    [Theory]
    [InlineData(0, 10, 5)]
    [InlineData(5, 4, 4)]
    [InlineData(4, 10, 11)]
    [InlineData(4, 10, 3)]
    public void New_InvalidBounds_Throws(int min, int max, int initial) =>
        Should.Throw<ArgumentException>(() => new AdaptiveLimit(min, max, initial));

    [Fact]
    public void OnSample_NegativeRtt_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => Create().OnSample(TimeSpan.FromTicks(-1), 1, dropped: false));

    private AdaptiveLimit Create() => new(4, 256, 20, new AdaptiveLimitOptions(), _clock);

    private AdaptiveLimit Probed()
    {
        var limit = Create();
        Window(limit, Rtt, inFlight: 4);
        return limit;
    }

    /// <summary>One full sample window: <see cref="Samples"/> requests, each taking <paramref name="rtt"/> of clock time.</summary>
    private void Window(AdaptiveLimit limit, TimeSpan rtt, int inFlight)
    {
        for (var i = 0; i < Samples; i++)
            Sample(limit, rtt, inFlight);
    }

    /// <summary>Saturating load for <paramref name="duration"/>: the limit in flight, drained to the minimum while probing.</summary>
    private void Run(AdaptiveLimit limit, TimeSpan rtt, TimeSpan duration)
    {
        var end = _clock.GetUtcNow() + duration;
        while (_clock.GetUtcNow() < end)
            Sample(limit, rtt, limit.IsProbing ? limit.MinLimit : limit.Limit);
    }

    private void Sample(AdaptiveLimit limit, TimeSpan rtt, int inFlight)
    {
        _clock.Advance(rtt);
        limit.OnSample(rtt, inFlight, dropped: false);
    }
}
