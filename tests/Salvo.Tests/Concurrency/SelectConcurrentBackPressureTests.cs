using Salvo.Concurrency;

namespace Salvo.Tests.Concurrency;

public class SelectConcurrentBackPressureTests
{
    [Fact]
    public async Task SelectConcurrentAsync_GatedSelectors_StartsTheNextItemOnlyWhenOneFinishes()
    {
        const int bound = 3;
        var gates = new Gates<int>();
        var started = new AwaitableCounter();
        var finished = 0;
        var violations = new List<string>();
        var results = Enumerable.Range(0, 10).SelectConcurrentAsync(
            async (i, ct) =>
            {
                var done = Volatile.Read(ref finished);
                if (i - done >= bound)
                    lock (violations) violations.Add($"item {i} started with only {done} finished");
                started.Increment();
                var value = await gates.WaitAsync(i, ct);
                Interlocked.Increment(ref finished);
                return value;
            },
            bound,
            ResultOrder.Input);

        await using var e = results.GetAsyncEnumerator();
        var next = e.MoveNextAsync();
        await started.WhenAtLeast(bound);
        started.Value.ShouldBe(bound);

        for (var i = 0; i < 10; i++)
        {
            gates[i].SetResult(i);
            (await next.Within()).ShouldBeTrue();
            e.Current.Index.ShouldBe(i);
            next = e.MoveNextAsync();
            if (i + bound < 10)
                await started.WhenAtLeast(i + bound + 1);
        }
        (await next.Within()).ShouldBeFalse();
        violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task SelectConcurrentAsync_ManyItems_NeverRunsMoreSelectorsThanTheBound()
    {
        var tracker = new InFlightTracker();
        var count = 0;
        await foreach (var result in Enumerable.Range(0, 2_000).SelectConcurrentAsync(
            async (i, _) =>
            {
                tracker.Enter();
                await Task.Yield();
                tracker.Exit();
                return i;
            },
            maxConcurrency: 7))
        {
            result.IsSuccess.ShouldBeTrue();
            count++;
        }
        count.ShouldBe(2_000);
        tracker.Max.ShouldBeLessThanOrEqualTo(7);
        tracker.Max.ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task SelectConcurrentAsync_SlowConsumer_PullsTheSourceAtMostTheBoundAheadOfTheConsumer()
    {
        const int bound = 4;
        var calls = 0;
        var maxAhead = 0;
        var source = new CountingSource(200)
        {
            OnPulled = pulled =>
            {
                var ahead = pulled - Volatile.Read(ref calls);
                if (ahead > Volatile.Read(ref maxAhead))
                    Volatile.Write(ref maxAhead, ahead);
            },
        };
        var results = source.SelectConcurrentAsync((i, _) => Task.FromResult(i), bound);

        var taken = 0;
        await using (var e = results.GetAsyncEnumerator())
        {
            while (true)
            {
                // Counted before the call: each call can free at most one slot, so pulled <= bound + calls.
                Interlocked.Increment(ref calls);
                if (!await e.MoveNextAsync())
                    break;
                taken++;
                for (var y = 0; y < 20; y++)
                    await Task.Yield();
            }
        }

        taken.ShouldBe(200);
        source.Pulled.ShouldBe(200);
        maxAhead.ShouldBeLessThanOrEqualTo(bound);
    }

    [Fact]
    public async Task SelectConcurrentAsync_ConsumerNotReading_PullsNoMoreThanTheBound()
    {
        const int bound = 5;
        var source = new CountingSource(100);
        var results = source.SelectConcurrentAsync((i, _) => Task.FromResult(i), bound);

        await using var e = results.GetAsyncEnumerator();
        (await e.MoveNextAsync().Within()).ShouldBeTrue();
        // One result taken, so bound + 1 items may have been pulled; the next pull needs another take.
        await source.PulledCounter.WhenAtLeast(bound + 1);
        (await e.MoveNextAsync().Within()).ShouldBeTrue();
        await source.PulledCounter.WhenAtLeast(bound + 2);
        source.Pulled.ShouldBeLessThanOrEqualTo(bound + 2);
    }
}
