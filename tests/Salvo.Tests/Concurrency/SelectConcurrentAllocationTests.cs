using Salvo.Concurrency;

namespace Salvo.Tests.Concurrency;

/// <summary>Runs alone: it reads the process-wide allocation counter, which parallel tests would disturb.</summary>
[CollectionDefinition(nameof(SelectConcurrentAllocationTests), DisableParallelization = true)]
public sealed class SerialConcurrencyCollection;

[Collection(nameof(SelectConcurrentAllocationTests))]
public class SelectConcurrentAllocationTests
{
    private static readonly Task<int> Done = Task.FromResult(1);

    [Fact]
    public async Task SelectConcurrentAsync_CompletedSelectors_AllocatesNothingPerItem()
    {
        const int count = 200_000;
        await DrainAsync(1_000); // warm up JIT and pools
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var yielded = await DrainAsync(count);

        var perItem = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)count;
        yielded.ShouldBe(count);
        // Typically ~0: the only allocations are wake-ups between producer and consumer, one per batch of
        // items, whose number depends on thread scheduling. Anything allocated per item (a state machine box,
        // a closure, a channel node, a runner object) costs 48+ bytes each and fails this.
        perItem.ShouldBeLessThan(32, $"{perItem:0.00} bytes per item");
    }

    [Fact]
    public async Task ForEachConcurrentAsync_CompletedBodies_AllocatesNothingPerItem()
    {
        const int count = 200_000;
        await Enumerable.Range(0, 1_000).ForEachConcurrentAsync((_, _) => Task.CompletedTask, 64);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        await Enumerable.Range(0, count).ForEachConcurrentAsync((_, _) => Task.CompletedTask, 64);

        var perItem = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)count;
        perItem.ShouldBeLessThan(32, $"{perItem:0.00} bytes per item");
    }

    private static async Task<int> DrainAsync(int count)
    {
        var yielded = 0;
        await foreach (var _ in Enumerable.Range(0, count).SelectConcurrentAsync((_, _) => Done, 64))
            yielded++;
        return yielded;
    }
}
