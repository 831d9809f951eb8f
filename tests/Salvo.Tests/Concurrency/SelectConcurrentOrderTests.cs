using Salvo.Concurrency;

namespace Salvo.Tests.Concurrency;

public class SelectConcurrentOrderTests
{
    [Fact]
    public async Task SelectConcurrentAsync_CompletionOrder_YieldsEachResultAsItFinishes()
    {
        var gates = new Gates<string>();
        var started = new AwaitableCounter();
        var results = Enumerable.Range(0, 4).SelectConcurrentAsync(
            (i, ct) =>
            {
                started.Increment();
                return gates.WaitAsync(i, ct);
            },
            maxConcurrency: 4);

        await using var e = results.GetAsyncEnumerator();
        var first = e.MoveNextAsync();
        await started.WhenAtLeast(4);
        var seen = new List<int>();
        foreach (var release in new[] { 2, 0, 3, 1 })
        {
            var pending = seen.Count == 0 ? first : e.MoveNextAsync();
            gates[release].SetResult($"v{release}");
            (await pending.Within()).ShouldBeTrue();
            e.Current.Index.ShouldBe(release);
            e.Current.Item.ShouldBe(release);
            e.Current.Value.ShouldBe($"v{release}");
            seen.Add(release);
        }
        (await e.MoveNextAsync().Within()).ShouldBeFalse();
        seen.ShouldBe([2, 0, 3, 1]);
    }

    [Fact]
    public async Task SelectConcurrentAsync_InputOrder_HoldsFinishedLaterItemsUntilEarlierOnesFinish()
    {
        var source = new CountingSource(4);
        var first = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var results = source.SelectConcurrentAsync(
            (i, ct) => i == 0 ? first.Task.WaitAsync(ct) : Task.FromResult(i * 10),
            maxConcurrency: 5,
            ResultOrder.Input);

        await using var e = results.GetAsyncEnumerator();
        var pending = e.MoveNextAsync();
        // Items 1..3 finished synchronously before the producer (with a fifth slot free) found the end of the source.
        await source.Exhausted.Task.Within();
        pending.IsCompleted.ShouldBeFalse();

        first.SetResult(0);
        var indexes = new List<int>();
        var hasItem = await pending.Within();
        while (hasItem)
        {
            indexes.Add(e.Current.Index);
            e.Current.Value.ShouldBe(e.Current.Item * 10);
            hasItem = await e.MoveNextAsync().Within();
        }
        indexes.ShouldBe([0, 1, 2, 3]);
    }

    [Fact]
    public async Task SelectConcurrentAsync_InputOrderWithUnevenDurations_YieldsEveryItemInInputOrder()
    {
        var indexes = new List<int>();
        await foreach (var result in Enumerable.Range(0, 300).SelectConcurrentAsync(YieldRandomlyAsync, maxConcurrency: 8, ResultOrder.Input))
        {
            result.Value.ShouldBe(result.Item);
            indexes.Add(result.Index);
        }
        indexes.ShouldBe(Enumerable.Range(0, 300));
    }

    [Fact]
    public async Task SelectConcurrentAsync_CompletionOrderWithUnevenDurations_YieldsEveryItemExactlyOnce()
    {
        var indexes = new List<int>();
        await foreach (var result in Enumerable.Range(0, 300).SelectConcurrentAsync(YieldRandomlyAsync, maxConcurrency: 8))
            indexes.Add(result.Index);
        indexes.Order().ShouldBe(Enumerable.Range(0, 300));
    }

    [Fact]
    public async Task SelectConcurrentAsync_EnumeratedTwice_RunsTheSourceAgain()
    {
        var source = new CountingSource(5);
        var results = source.SelectConcurrentAsync((i, _) => Task.FromResult(i), maxConcurrency: 2, ResultOrder.Input);

        var firstRun = await CollectValuesAsync(results);
        var secondRun = await CollectValuesAsync(results);

        firstRun.ShouldBe([0, 1, 2, 3, 4]);
        secondRun.ShouldBe([0, 1, 2, 3, 4]);
        source.Enumerations.ShouldBe(2);
    }

    [Fact]
    public async Task SelectConcurrentAsync_NotEnumerated_DoesNoWork()
    {
        var source = new CountingSource(5);
        var calls = 0;
        var results = source.SelectConcurrentAsync((i, _) => Task.FromResult(Interlocked.Increment(ref calls)), maxConcurrency: 2);

        await using (results.GetAsyncEnumerator())
        {
        }

        source.Enumerations.ShouldBe(0);
        calls.ShouldBe(0);
    }

    private static async Task<int> YieldRandomlyAsync(int item, CancellationToken cancellationToken)
    {
        for (var i = (item * 7919) % 5; i > 0; i--)
            await Task.Yield();
        return item;
    }

    private static async Task<List<int>> CollectValuesAsync(IAsyncEnumerable<ItemResult<int, int>> results)
    {
        var values = new List<int>();
        await foreach (var result in results)
            values.Add(result.Value);
        return values;
    }
}
