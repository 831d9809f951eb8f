using Salvo.Concurrency;

namespace Salvo.Tests.Concurrency;

public class SelectConcurrentErrorTests
{
    [Fact]
    public async Task SelectConcurrentAsync_CollectMode_YieldsEveryItemWithItsError()
    {
        var errors = new Dictionary<int, Exception> { [1] = new InvalidOperationException("one"), [3] = new TimeoutException("three") };
        var results = new List<ItemResult<int, int>>();
        await foreach (var result in Enumerable.Range(0, 5).SelectConcurrentAsync(
            async (i, _) =>
            {
                await Task.Yield();
                return errors.TryGetValue(i, out var error) ? throw error : i * 2;
            },
            maxConcurrency: 2,
            ResultOrder.Input))
        {
            results.Add(result);
        }

        results.Select(r => r.Index).ShouldBe([0, 1, 2, 3, 4]);
        results.Where(r => r.IsSuccess).Select(r => r.Value).ShouldBe([0, 4, 8]);
        results[1].Error.ShouldBeSameAs(errors[1]);
        results[3].Error.ShouldBeSameAs(errors[3]);
        results[3].Item.ShouldBe(3);
        results[3].TryGetValue(out _).ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => results[3].Value).InnerException.ShouldBeSameAs(errors[3]);
    }

    [Fact]
    public async Task SelectConcurrentAsync_SelectorThrowsSynchronously_CapturesItAsTheItemsError()
    {
        var boom = new ArgumentException("sync");
        var results = new List<ItemResult<int, int>>();
        await foreach (var result in Enumerable.Range(0, 4).SelectConcurrentAsync(
            (i, _) => i == 2 ? throw boom : Task.FromResult(i),
            maxConcurrency: 2,
            ResultOrder.Input))
        {
            results.Add(result);
        }

        results.Count.ShouldBe(4);
        results[2].Error.ShouldBeSameAs(boom);
        results.Count(r => r.IsSuccess).ShouldBe(3);
    }

    [Fact]
    public async Task SelectConcurrentAsync_SelectorReturnsNull_ReportsAnError()
    {
        var results = new List<ItemResult<int, int>>();
        await foreach (var result in new[] { 1 }.SelectConcurrentAsync<int, int>((_, _) => null!, maxConcurrency: 1))
            results.Add(result);

        results.ShouldHaveSingleItem().Error.ShouldBeOfType<InvalidOperationException>();
    }

    [Fact]
    public async Task SelectConcurrentAsync_CancelledTaskInCollectMode_IsAnItemErrorNotTheEnd()
    {
        var results = new List<ItemResult<int, int>>();
        await foreach (var result in Enumerable.Range(0, 3).SelectConcurrentAsync(
            (i, _) => i == 1 ? Task.FromCanceled<int>(new CancellationToken(true)) : Task.FromResult(i),
            maxConcurrency: 3,
            ResultOrder.Input))
        {
            results.Add(result);
        }

        results.Count.ShouldBe(3);
        results[1].Error.ShouldBeAssignableTo<OperationCanceledException>();
    }

    [Fact]
    public async Task SelectConcurrentAsync_FailFast_CancelsInFlightItemsAndThrowsTheFirstErrorAfterTheyStop()
    {
        var gates = new Gates<int>();
        var started = new AwaitableCounter();
        var stopped = new AwaitableCounter();
        var boom = new InvalidOperationException("first failure");
        var options = new ConcurrencyOptions { MaxConcurrency = 5, Errors = ErrorMode.FailFast };
        var results = Enumerable.Range(0, 20).SelectConcurrentAsync(
            async (i, ct) =>
            {
                started.Increment();
                try
                {
                    return await gates.WaitAsync(i, ct);
                }
                finally
                {
                    stopped.Increment();
                }
            },
            options);

        var seen = new List<int>();
        var consume = Task.Run(async () =>
        {
            await foreach (var result in results)
                seen.Add(result.Index);
        });
        await started.WhenAtLeast(5);
        gates[2].SetException(boom);

        var thrown = await Should.ThrowAsync<InvalidOperationException>(consume.Within());
        thrown.ShouldBeSameAs(boom);
        stopped.Value.ShouldBe(started.Value);
        started.Value.ShouldBe(5);
        seen.ShouldBeEmpty();
    }

    [Fact]
    public async Task SelectConcurrentAsync_FailFastWithAStubbornItem_ThrowsOnlyAfterItStops()
    {
        var stubborn = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var failing = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new AwaitableCounter();
        var options = new ConcurrencyOptions { MaxConcurrency = 3, Errors = ErrorMode.FailFast };
        var results = Enumerable.Range(0, 3).SelectConcurrentAsync(
            async (i, ct) =>
            {
                started.Increment();
                if (i == 0)
                    return 0;
                if (i == 2)
                    return await failing.Task;
                ct.Register(() => cancelRequested.TrySetResult());
                return await stubborn.Task; // ignores its token on purpose
            },
            options);

        await using var e = results.GetAsyncEnumerator();
        try
        {
            (await e.MoveNextAsync().Within()).ShouldBeTrue();
            e.Current.Index.ShouldBe(0);
            await started.WhenAtLeast(3);
            failing.SetException(new TimeoutException());
            // The failure is recorded before the token is cancelled, so from here on the run is faulted.
            await cancelRequested.Task.Within();

            var next = e.MoveNextAsync();
            next.IsCompleted.ShouldBeFalse();
            stubborn.SetResult(1);

            await Should.ThrowAsync<TimeoutException>(next.AsTask().Within());
        }
        finally
        {
            stubborn.TrySetResult(1); // lets disposal finish if an assertion failed first
        }
    }

    [Fact]
    public async Task SelectConcurrentAsync_SourceThrowsInCollectMode_YieldsPulledItemsThenThrowsTheSourceError()
    {
        var source = new CountingSource(10, throwAt: 3);
        var indexes = new List<int>();
        var thrown = await Should.ThrowAsync<InvalidOperationException>(async () =>
        {
            await foreach (var result in source.SelectConcurrentAsync(
                async (i, _) =>
                {
                    await Task.Yield();
                    return i;
                },
                maxConcurrency: 2,
                ResultOrder.Input))
            {
                indexes.Add(result.Index);
            }
        });

        thrown.ShouldBeSameAs(source.Error);
        indexes.ShouldBe([0, 1, 2]);
        source.Disposed.Task.IsCompleted.ShouldBeTrue();
    }

    [Fact]
    public async Task SelectConcurrentAsync_SourceThrowsInFailFastMode_CancelsRunningItemsAndThrows()
    {
        var source = new CountingSource(10, throwAt: 2);
        var stopped = new AwaitableCounter();
        var gates = new Gates<int>();
        var options = new ConcurrencyOptions { MaxConcurrency = 4, Errors = ErrorMode.FailFast };

        var thrown = await Should.ThrowAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in source.SelectConcurrentAsync(
                async (i, ct) =>
                {
                    try
                    {
                        return await gates.WaitAsync(i, ct);
                    }
                    finally
                    {
                        stopped.Increment();
                    }
                },
                options))
            {
            }
        }).Within();

        thrown.ShouldBeSameAs(source.Error);
        stopped.Value.ShouldBe(2);
    }

    [Fact]
    public async Task SelectConcurrentAsync_GetEnumeratorThrows_SurfacesFromTheEnumeration()
    {
        var thrown = await Should.ThrowAsync<NotSupportedException>(async () =>
        {
            await foreach (var _ in new ThrowingEnumerable().SelectConcurrentAsync((i, _) => Task.FromResult(i), maxConcurrency: 2))
            {
            }
        });
        thrown.Message.ShouldBe("no enumerator");
    }

    private sealed class ThrowingEnumerable : IEnumerable<int>
    {
        public IEnumerator<int> GetEnumerator() => throw new NotSupportedException("no enumerator");

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
