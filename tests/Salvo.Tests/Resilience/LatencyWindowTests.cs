using Salvo.Resilience;

namespace Salvo.Tests.Resilience;

public class LatencyWindowTests
{
    [Fact]
    public void Percentile_FewerThanMinimumSamples_IsUnknown()
    {
        var window = new LatencyWindow(128, 0.95);

        for (var i = 1; i < HedgingOptions.MinimumSamples; i++)
            window.Add(TimeSpan.FromMilliseconds(i));

        window.Percentile.ShouldBeNull();
        window.Add(TimeSpan.FromMilliseconds(20));
        window.Percentile.ShouldBe(TimeSpan.FromMilliseconds(19));
    }

    [Theory]
    [InlineData(0.5, 50)]
    [InlineData(0.95, 95)]
    [InlineData(0.99, 99)]
    [InlineData(0.999, 100)]
    public void Percentile_OneToHundredMs_IsTheNearestRank(double percentile, int expectedMs)
    {
        var window = new LatencyWindow(100, percentile);

        // Shuffled, so the window sorts rather than relying on arrival order.
        foreach (var ms in Enumerable.Range(1, 100).OrderBy(i => (i * 37) % 101))
            window.Add(TimeSpan.FromMilliseconds(ms));

        window.Percentile.ShouldBe(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Fact]
    public void Add_PastTheWindowSize_ForgetsTheOldestSamples()
    {
        var window = new LatencyWindow(20, 0.95);
        for (var i = 0; i < 20; i++)
            window.Add(TimeSpan.FromSeconds(5));

        for (var i = 0; i < 24; i++)
            window.Add(TimeSpan.FromMilliseconds(10));

        window.Percentile.ShouldBe(TimeSpan.FromMilliseconds(10));
    }

    [Fact]
    public void Percentile_BetweenRefreshes_MovesAtMostEveryFewSamples()
    {
        var window = new LatencyWindow(20, 0.5);
        for (var i = 0; i < 20; i++)
            window.Add(TimeSpan.FromMilliseconds(10));

        for (var i = 0; i < 7; i++)
            window.Add(TimeSpan.FromMilliseconds(1000));
        window.Percentile.ShouldBe(TimeSpan.FromMilliseconds(10), "recomputed every 8 samples, not on every one");
        for (var i = 0; i < 9; i++)
            window.Add(TimeSpan.FromMilliseconds(1000));

        window.Percentile.ShouldBe(TimeSpan.FromMilliseconds(1000), "the 16th new sample refreshed it over 4 fast and 16 slow");
    }
    [Fact]
    public void Select_AnyValuesAnyRank_IsWhatSortingWouldPutThere()
    {
        // Property test over random arrays: sizes 1-200, many duplicates (values from a small range) or few.
        var random = new Random(20261201);
        for (var trial = 0; trial < 2_000; trial++)
        {
            var length = random.Next(1, 201);
            var range = trial % 2 == 0 ? 5 : 1_000_000;
            var values = Enumerable.Range(0, length).Select(_ => (long)random.Next(range)).ToArray();
            var sorted = values.Order().ToArray();
            var k = random.Next(length);

            LatencyWindow.Select(values.ToArray(), k).ShouldBe(sorted[k], $"trial {trial}: k={k} of {length}");
        }
    }
}
