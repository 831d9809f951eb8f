using Salvo.ConcurrencyLimiting;

namespace Salvo.Tests.ConcurrencyLimiting;

public class SlidingMinimumTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Fact]
    public void Minimum_Empty_IsNull() => new SlidingMinimum(Window).Minimum(TimeSpan.Zero).ShouldBeNull();

    [Fact]
    public void Minimum_WithinWindow_IsSmallestAdded()
    {
        var min = new SlidingMinimum(Window);
        min.Add(Ms(30), Seconds(1));
        min.Add(Ms(10), Seconds(15));
        min.Add(Ms(20), Seconds(40));

        min.Minimum(Seconds(45)).ShouldBe(Ms(10));
    }

    [Fact]
    public void Minimum_AfterWindow_Forgets()
    {
        var min = new SlidingMinimum(Window);
        min.Add(Ms(10), Seconds(1));
        min.Add(Ms(20), Seconds(30));

        min.Minimum(Seconds(59)).ShouldBe(Ms(10));
        min.Minimum(Seconds(61)).ShouldBe(Ms(20));
        min.Minimum(Seconds(91)).ShouldBeNull();
    }

    [Fact]
    public void Add_ReusedBucket_StartsAfresh()
    {
        var min = new SlidingMinimum(Window);
        min.Add(Ms(10), Seconds(5));
        min.Add(Ms(50), Seconds(65)); // same slot, a window later: the old value must not survive as its minimum

        min.Minimum(Seconds(66)).ShouldBe(Ms(50));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void Minimum_RandomSamples_MatchesBruteForceWithinBucketSlack(int seed)
    {
        var random = new Random(seed);
        var min = new SlidingMinimum(Window);
        var samples = new List<(TimeSpan At, TimeSpan Value)>();
        var now = TimeSpan.Zero;
        for (var i = 0; i < 5_000; i++)
        {
            now += Ms(random.Next(0, 200));
            var value = Ms(random.Next(1, 1_000));
            min.Add(value, now);
            samples.Add((now, value));

            var actual = min.Minimum(now)!.Value;
            // Exact over the last 5/6 of the window, never older than the whole window.
            var newest = samples.Where(s => now - s.At < Window * 5 / 6).Min(s => s.Value);
            var oldest = samples.Where(s => now - s.At < Window).Min(s => s.Value);
            actual.ShouldBeLessThanOrEqualTo(newest);
            actual.ShouldBeGreaterThanOrEqualTo(oldest);
        }
    }

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    private static TimeSpan Seconds(int s) => TimeSpan.FromSeconds(s);
}
