using Salvo.ConcurrencyLimiting;
using Salvo.Testing;

namespace Salvo.Tests.ConcurrencyLimiting;

public class AdaptiveLimitTests
{
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

        // 20 × 0.8 + 0.2 × (20 × 1 + √20): the queue allowance, smoothed.
        limit.Estimate.ShouldBe(20 + (0.2 * Math.Sqrt(20)), 1e-9);
        for (var i = 0; i < 20; i++)
            Window(limit, Rtt, inFlight: limit.Limit);
        limit.Limit.ShouldBeGreaterThan(30);
    }

    [Fact]
    public void OnSample_RttWithinTolerance_StillGrows()
    {
        var limit = Probed();

        Window(limit, Rtt * 1.4, inFlight: 20); // below the 1.5 tolerance: noise, not queueing

        limit.Estimate.ShouldBeGreaterThan(20);
    }

    [Fact]
    public void OnSample_RttRises_ShrinksAlongTheGradient()
    {
        var limit = Probed();

        Window(limit, Rtt * 2, inFlight: 20);

        // gradient = 1.5 × 10 / 20 = 0.75: 20 × 0.8 + 0.2 × (20 × 0.75 + √20)
        limit.Estimate.ShouldBe((20 * 0.8) + (0.2 * ((20 * 0.75) + Math.Sqrt(20))), 1e-9);
        for (var i = 0; i < 100; i++)
            Window(limit, Rtt * 4, inFlight: limit.Limit);
        limit.Limit.ShouldBe(4, "at four times the baseline the gradient is clamped to 0.5 and the limit falls to where 0.5 × L + √L = L");
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
    public void OnSample_Dropped_DecreasesOncePerRoundTrip()
    {
        var limit = Probed();
        _clock.Advance(TimeSpan.FromSeconds(1));

        limit.OnSample(Rtt, 20, dropped: true);
        limit.Estimate.ShouldBe(18, 1e-9);

        _clock.Advance(TimeSpan.FromMilliseconds(5));
        limit.OnSample(Rtt, 20, dropped: true); // sent 10 ms ago, before the decrease 5 ms ago: same episode
        limit.Estimate.ShouldBe(18, 1e-9);

        _clock.Advance(TimeSpan.FromMilliseconds(10));
        limit.OnSample(Rtt, 20, dropped: true); // sent 10 ms ago, after the decrease 15 ms ago: overload persists
        limit.Estimate.ShouldBe(18 * 0.9, 1e-9);
    }

    [Fact]
    public void OnSample_Dropped_IsNotALatencySample()
    {
        var limit = Probed();

        for (var i = 0; i < 9; i++)
            Sample(limit, Rtt, 20);
        _clock.Advance(TimeSpan.FromSeconds(1));
        limit.OnSample(TimeSpan.FromMilliseconds(1), 20, dropped: true); // a fast 503 must not close or skew the window
        var afterDrop = limit.Estimate;
        Sample(limit, Rtt, 20);

        limit.Estimate.ShouldBe(afterDrop + (0.2 * Math.Sqrt(afterDrop)), 1e-9);
        limit.MinRtt.ShouldBe(Rtt);
    }

    [Fact]
    public void OnSample_DroppedWhileProbing_LowersTheLimitRestoredAfterwards()
    {
        var limit = Create();

        limit.OnSample(Rtt, 4, dropped: true);
        Window(limit, Rtt, inFlight: 4);

        limit.Limit.ShouldBe(18);
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
        }
    }

    [Fact]
    public void MinRtt_OldMinimumSlidesOutOfTheWindow()
    {
        var options = new AdaptiveLimitOptions { ProbeInterval = Timeout.InfiniteTimeSpan, MinRttWindow = TimeSpan.FromSeconds(60) };
        var limit = new AdaptiveLimit(4, 256, 20, options, _clock);
        Window(limit, Rtt, inFlight: 4);
        var slower = Rtt * 1.2;

        for (var second = 0; second < 30; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            Window(limit, slower, inFlight: 20);
        }
        limit.MinRtt.ShouldBe(Rtt, "30 s later the old minimum is still in the 60 s window");

        for (var second = 0; second < 40; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            Window(limit, slower, inFlight: 20);
        }
        limit.MinRtt.ShouldBe(slower, "70 s later it has slid out, so the baseline can go up");
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
    public void Probe_Disabled_ProbesOnlyAtStart()
    {
        var options = new AdaptiveLimitOptions { ProbeInterval = Timeout.InfiniteTimeSpan };
        var limit = new AdaptiveLimit(4, 256, 20, options, _clock);
        Window(limit, Rtt, inFlight: 4);

        for (var i = 0; i < 100; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(10));
            Window(limit, Rtt, inFlight: limit.Limit);
            limit.IsProbing.ShouldBeFalse();
        }
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

    /// <summary>One full sample window: ten requests, each taking <paramref name="rtt"/> of clock time.</summary>
    private void Window(AdaptiveLimit limit, TimeSpan rtt, int inFlight)
    {
        for (var i = 0; i < AdaptiveLimitOptions.DefaultSampleCount; i++)
            Sample(limit, rtt, inFlight);
    }

    private void Sample(AdaptiveLimit limit, TimeSpan rtt, int inFlight)
    {
        _clock.Advance(rtt);
        limit.OnSample(rtt, inFlight, dropped: false);
    }
}
