using Salvo.Telemetry;

namespace Salvo.Tests.Telemetry;

public class LatencyHistogramTests
{
    [Fact]
    public void GetPercentile_UniformMilliseconds_WithinThreePercent()
    {
        var h = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++)
            h.Record(TimeSpan.FromMilliseconds(ms));

        h.Count.ShouldBe(1000);
        h.GetPercentile(50).TotalMilliseconds.ShouldBe(500, tolerance: 15);
        h.GetPercentile(90).TotalMilliseconds.ShouldBe(900, tolerance: 27);
        h.GetPercentile(99).TotalMilliseconds.ShouldBe(990, tolerance: 30);
        h.Max.ShouldBe(TimeSpan.FromMilliseconds(1000));
        h.Mean.TotalMilliseconds.ShouldBe(500.5, tolerance: 0.01);
    }

    [Fact]
    public void GetPercentile_Empty_IsZero() => new LatencyHistogram().GetPercentile(99).ShouldBe(TimeSpan.Zero);

    [Fact]
    public void Buckets_CoverEveryValueContiguously()
    {
        // Property: every value maps to a bucket whose bounds contain it, and indices never go backwards.
        var previous = -1;
        foreach (var micros in Values())
        {
            var index = LatencyHistogram.IndexOf(micros);
            var (low, high) = LatencyHistogram.BoundsOf(index);
            micros.ShouldBeInRange(low, high);
            index.ShouldBeGreaterThanOrEqualTo(previous);
            previous = index;
            if (micros >= 32)
                ((high - low + 1) / (double)low).ShouldBeLessThanOrEqualTo(1.0 / 32 + 1e-9, "relative bucket width bounds the error");
        }

        static IEnumerable<long> Values()
        {
            for (long v = 0; v < 5000; v++)
                yield return v;
            for (long v = 5000; v < 1L << 40; v = (v * 17 / 16) + 1)
                yield return v;
        }
    }

    [Fact]
    public async Task Record_Concurrently_CountsEverySample()
    {
        var h = new LatencyHistogram();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 25_000; i++)
                h.Record(TimeSpan.FromMicroseconds(i));
        })));

        h.Count.ShouldBe(100_000);
    }
}
