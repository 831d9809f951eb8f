using Salvo.Resilience;

namespace Salvo.Tests.Resilience;

public class BackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Fact]
    public void DecorrelatedJitter_ManySeeds_EveryWaitBetweenBaseAndThreeTimesThePreviousCappedAtMax()
    {
        for (var seed = 0; seed < 2000; seed++)
        {
            var random = new Random(seed);
            var previous = Base;
            for (var retry = 1; retry <= 12; retry++)
            {
                var next = Backoff.DecorrelatedJitter(previous, Base, Max, random.NextDouble());

                next.ShouldBeGreaterThanOrEqualTo(Base, $"seed {seed}, retry {retry}");
                next.ShouldBeLessThanOrEqualTo(Max, $"seed {seed}, retry {retry}");
                next.Ticks.ShouldBeLessThanOrEqualTo(Math.Max(Base.Ticks, previous.Ticks * 3), $"seed {seed}, retry {retry}");
                previous = next;
            }
        }
    }

    [Fact]
    public void DecorrelatedJitter_ManySeeds_GrowsExponentiallyOnAverageUntilTheCap()
    {
        const int Seeds = 5000;
        var sums = new double[6];
        for (var seed = 0; seed < Seeds; seed++)
        {
            var random = new Random(seed);
            var previous = Base;
            for (var retry = 0; retry < sums.Length; retry++)
            {
                previous = Backoff.DecorrelatedJitter(previous, Base, Max, random.NextDouble());
                sums[retry] += previous.TotalMilliseconds;
            }
        }
        var means = sums.Select(s => s / Seeds).ToArray();

        means[0].ShouldBe(400, tolerance: 20, "the first wait is uniform in [base, 3 × base)");
        // Each mean is 100 ms + 1.5 × the previous one: a ratio falling from 1.75 towards 1.5.
        for (var i = 1; i < means.Length; i++)
            (means[i] / means[i - 1]).ShouldBeGreaterThan(1.4, $"mean wait {i + 1} over mean wait {i}");
    }

    [Fact]
    public void DecorrelatedJitter_SameSeed_SameSequence()
    {
        static TimeSpan[] Run(int seed)
        {
            var random = new Random(seed);
            var previous = Base;
            return Enumerable.Range(0, 5).Select(_ => previous = Backoff.DecorrelatedJitter(previous, Base, Max, random.NextDouble())).ToArray();
        }

        Run(7).ShouldBe(Run(7));
        Run(7).ShouldNotBe(Run(8));
    }

    [Theory]
    [InlineData(0.0, 200)]
    [InlineData(0.5, 400)]
    [InlineData(0.999999, 600)]
    public void DecorrelatedJitter_FirstRetry_IsUniformBetweenBaseAndThreeTimesBase(double random, double expectedMs) =>
        Backoff.DecorrelatedJitter(Base, Base, Max, random).TotalMilliseconds.ShouldBe(expectedMs, tolerance: 0.01);

    [Fact]
    public void DecorrelatedJitter_LongPrevious_IsCappedAtMax() =>
        Backoff.DecorrelatedJitter(TimeSpan.FromSeconds(25), Base, Max, 0.999999).ShouldBe(Max, tolerance: TimeSpan.FromMilliseconds(1));

    [Fact]
    public void DecorrelatedJitter_ZeroBase_IsZero() =>
        Backoff.DecorrelatedJitter(TimeSpan.Zero, TimeSpan.Zero, Max, 0.7).ShouldBe(TimeSpan.Zero);

    [Fact]
    public void DecorrelatedJitter_PreviousShorterThanBase_IsBase() =>
        Backoff.DecorrelatedJitter(TimeSpan.Zero, Base, Max, 0.7).ShouldBe(Base);
}
