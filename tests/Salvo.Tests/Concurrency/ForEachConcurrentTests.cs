using System.Collections.Concurrent;
using Salvo.Concurrency;

namespace Salvo.Tests.Concurrency;

public class ForEachConcurrentTests
{
    [Fact]
    public async Task ForEachConcurrentAsync_AllSucceed_RunsEveryItemWithinTheBound()
    {
        var tracker = new InFlightTracker();
        var seen = new ConcurrentBag<int>();
        await Enumerable.Range(0, 500).ForEachConcurrentAsync(
            async (i, _) =>
            {
                tracker.Enter();
                await Task.Yield();
                seen.Add(i);
                tracker.Exit();
            },
            maxConcurrency: 6);

        seen.Order().ShouldBe(Enumerable.Range(0, 500));
        tracker.Max.ShouldBeLessThanOrEqualTo(6);
    }

    [Fact]
    public async Task ForEachConcurrentAsync_CollectMode_RunsEveryItemThenThrowsOneItemExceptionPerFailureInInputOrder()
    {
        var ran = new ConcurrentBag<int>();
        var errors = new Dictionary<int, Exception> { [7] = new InvalidOperationException("seven"), [2] = new TimeoutException("two") };
        var lastGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var others = new AwaitableCounter();

        var run = Enumerable.Range(0, 10).ForEachConcurrentAsync(
            async (i, ct) =>
            {
                ran.Add(i);
                if (i == 2)
                {
                    await lastGate.Task.WaitAsync(ct); // fails last, so input order must come from sorting
                }
                else
                {
                    await Task.Yield();
                    others.Increment();
                }
                if (errors.TryGetValue(i, out var error))
                    throw error;
            },
            maxConcurrency: 3);
        await others.WhenAtLeast(9);
        lastGate.SetResult();

        var thrown = await Should.ThrowAsync<AggregateException>(run.Within());
        var failures = thrown.InnerExceptions.Cast<ConcurrentItemException>().ToList();
        failures.Select(f => f.Index).ShouldBe([2, 7]);
        failures.Select(f => f.Item).ShouldBe([2, 7]);
        failures[0].InnerException.ShouldBeSameAs(errors[2]);
        failures[1].InnerException.ShouldBeSameAs(errors[7]);
        ran.Count.ShouldBe(10);
    }

    [Fact]
    public async Task ForEachConcurrentAsync_FailFast_ThrowsTheOriginalErrorAfterCancellingAndAwaitingTheRest()
    {
        var started = new AwaitableCounter();
        var stopped = new AwaitableCounter();
        var gates = new Gates<bool>();
        var boom = new InvalidOperationException("boom");
        var options = new ConcurrencyOptions { MaxConcurrency = 4, Errors = ErrorMode.FailFast };

        var run = Enumerable.Range(0, 100).ForEachConcurrentAsync(
            async (i, ct) =>
            {
                started.Increment();
                try
                {
                    await gates.WaitAsync(i, ct);
                }
                finally
                {
                    stopped.Increment();
                }
            },
            options);
        await started.WhenAtLeast(4);
        gates[1].SetException(boom);

        var thrown = await Should.ThrowAsync<InvalidOperationException>(run.Within());
        thrown.ShouldBeSameAs(boom);
        stopped.Value.ShouldBe(started.Value);
        started.Value.ShouldBe(4);
    }

    [Fact]
    public async Task ForEachConcurrentAsync_AsyncSource_RunsEveryItem()
    {
        var seen = new ConcurrentBag<int>();
        await ItemsAsync(40).ForEachConcurrentAsync(
            async (i, _) =>
            {
                await Task.Yield();
                seen.Add(i);
            },
            new ConcurrencyOptions { MaxConcurrency = 5 });

        seen.Order().ShouldBe(Enumerable.Range(0, 40));
    }

    [Fact]
    public async Task ForEachConcurrentAsync_AsyncSourceWithFailure_ThrowsAggregateOfItemExceptions()
    {
        var thrown = await Should.ThrowAsync<AggregateException>(
            ItemsAsync(5).ForEachConcurrentAsync((i, _) => i == 3 ? Task.FromException(new FormatException()) : Task.CompletedTask, maxConcurrency: 2));

        var failure = thrown.InnerExceptions.ShouldHaveSingleItem().ShouldBeOfType<ConcurrentItemException>();
        failure.Index.ShouldBe(3);
        failure.InnerException.ShouldBeOfType<FormatException>();
    }

    [Fact]
    public async Task ForEachConcurrentAsync_CallerCancels_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var started = new AwaitableCounter();
        var run = Enumerable.Range(0, 100).ForEachConcurrentAsync(
            async (_, ct) =>
            {
                started.Increment();
                await Task.Delay(Timeout.Infinite, ct);
            },
            maxConcurrency: 3,
            cts.Token);
        await started.WhenAtLeast(3);
        await cts.CancelAsync();

        var thrown = await Should.ThrowAsync<OperationCanceledException>(run.Within());
        thrown.CancellationToken.ShouldBe(cts.Token);
    }

    [Fact]
    public async Task ForEachConcurrentAsync_SourceThrows_ThrowsTheSourceErrorAsIs()
    {
        var source = new CountingSource(10, throwAt: 4);
        var thrown = await Should.ThrowAsync<InvalidOperationException>(source.ForEachConcurrentAsync((_, _) => Task.CompletedTask, 2));
        thrown.ShouldBeSameAs(source.Error);
    }

    [Fact]
    public async Task ForEachConcurrentAsync_SourceAndItemsFail_ThrowsAggregateWithItemFailuresThenTheSourceError()
    {
        var source = new CountingSource(10, throwAt: 4);
        var thrown = await Should.ThrowAsync<AggregateException>(
            source.ForEachConcurrentAsync((i, _) => i == 1 ? Task.FromException(new FormatException()) : Task.CompletedTask, 2));

        thrown.InnerExceptions.Count.ShouldBe(2);
        thrown.InnerExceptions[0].ShouldBeOfType<ConcurrentItemException>().Index.ShouldBe(1);
        thrown.InnerExceptions[1].ShouldBeSameAs(source.Error);
    }

    [Fact]
    public async Task ForEachConcurrentAsync_BodyThrowsSynchronously_IsCollectedAsAnItemFailure()
    {
        var thrown = await Should.ThrowAsync<AggregateException>(
            Enumerable.Range(0, 3).ForEachConcurrentAsync((i, _) => i == 0 ? throw new ArgumentException("sync") : Task.CompletedTask, 2));

        thrown.InnerExceptions.ShouldHaveSingleItem().InnerException.ShouldBeOfType<ArgumentException>();
    }

    private static async IAsyncEnumerable<int> ItemsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }
}
