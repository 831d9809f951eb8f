using System.Diagnostics;
using Salvo.Concurrency;

namespace Salvo.Tests.Concurrency;

public class SelectConcurrentScaleTests
{
    [Fact]
    public async Task SelectConcurrentAsync_OneMillionItemsBound256_YieldsEachOnceWithinTheBound()
    {
        const int count = 1_000_000;
        const int bound = 256;
        var seen = new bool[count];
        var tracker = new InFlightTracker();
        var pulled = 0;
        var yielded = 0;
        var duplicates = 0;
        var wrongValues = 0;
        var stopwatch = Stopwatch.StartNew();

        await foreach (var result in LazySource(count, () => pulled++).SelectConcurrentAsync(
            (i, _) =>
            {
                tracker.Enter();
                if (i % 8 != 0)
                {
                    tracker.Exit();
                    return Task.FromResult(i);
                }
                return YieldAsync(i, tracker);
            },
            bound))
        {
            // Plain checks per item: an assertion library call per item would dominate the run time.
            if (seen[result.Index])
                duplicates++;
            seen[result.Index] = true;
            if (result.Value != result.Index)
                wrongValues++;
            yielded++;
        }

        duplicates.ShouldBe(0);
        wrongValues.ShouldBe(0);
        yielded.ShouldBe(count);
        pulled.ShouldBe(count);
        Array.IndexOf(seen, false).ShouldBe(-1);
        tracker.Max.ShouldBeLessThanOrEqualTo(bound);
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    private static IEnumerable<int> LazySource(int count, Action onPull)
    {
        for (var i = 0; i < count; i++)
        {
            onPull();
            yield return i;
        }
    }

    private static async Task<int> YieldAsync(int i, InFlightTracker tracker)
    {
        await Task.Yield();
        tracker.Exit();
        return i;
    }
}
