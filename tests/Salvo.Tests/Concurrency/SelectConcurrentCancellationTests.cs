using Salvo.Concurrency;

namespace Salvo.Tests.Concurrency;

public class SelectConcurrentCancellationTests
{
    [Fact]
    public async Task SelectConcurrentAsync_CallerCancels_ThrowsOperationCanceledAfterRunningItemsStop()
    {
        using var cts = new CancellationTokenSource();
        var gates = new Gates<int>();
        var started = new AwaitableCounter();
        var stopped = new AwaitableCounter();
        var results = Enumerable.Range(0, 100).SelectConcurrentAsync(
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
            maxConcurrency: 4,
            cancellationToken: cts.Token);

        var consume = Task.Run(async () =>
        {
            await foreach (var _ in results)
            {
            }
        });
        await started.WhenAtLeast(4);
        await cts.CancelAsync();

        var thrown = await Should.ThrowAsync<OperationCanceledException>(consume.Within());
        thrown.CancellationToken.ShouldBe(cts.Token);
        stopped.Value.ShouldBe(4);
        started.Value.ShouldBe(4);
    }

    [Fact]
    public async Task SelectConcurrentAsync_WithCancellationToken_CancelsTheRun()
    {
        using var cts = new CancellationTokenSource();
        var started = new AwaitableCounter();
        var results = Enumerable.Range(0, 10).SelectConcurrentAsync(
            async (i, ct) =>
            {
                started.Increment();
                await Task.Delay(Timeout.Infinite, ct);
                return i;
            },
            maxConcurrency: 2);

        var consume = Task.Run(async () =>
        {
            await foreach (var _ in results.WithCancellation(cts.Token))
            {
            }
        });
        await started.WhenAtLeast(2);
        await cts.CancelAsync();

        var thrown = await Should.ThrowAsync<OperationCanceledException>(consume.Within());
        thrown.CancellationToken.ShouldBe(cts.Token);
    }

    [Fact]
    public async Task SelectConcurrentAsync_AlreadyCancelled_ThrowsWithoutTouchingTheSource()
    {
        var source = new CountingSource(10);
        var thrown = await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in source.SelectConcurrentAsync((i, _) => Task.FromResult(i), 2, cancellationToken: new CancellationToken(true)))
            {
            }
        });

        thrown.CancellationToken.IsCancellationRequested.ShouldBeTrue();
        source.Enumerations.ShouldBe(0);
    }

    [Fact]
    public async Task SelectConcurrentAsync_ConsumerBreaksEarly_CancelsAndWaitsForInFlightWork()
    {
        var gates = new Gates<int>();
        var started = new AwaitableCounter();
        var stopped = new AwaitableCounter();
        var tokensCancelled = 0;
        var source = new CountingSource(50);
        gates[0].SetResult(0);

        await foreach (var result in source.SelectConcurrentAsync(
            async (i, ct) =>
            {
                started.Increment();
                try
                {
                    return await gates.WaitAsync(i, ct);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref tokensCancelled);
                    throw;
                }
                finally
                {
                    stopped.Increment();
                }
            },
            maxConcurrency: 3))
        {
            result.Index.ShouldBe(0);
            await started.WhenAtLeast(3);
            break;
        }

        // DisposeAsync (run by await foreach) returned: nothing may still be running.
        stopped.Value.ShouldBe(started.Value);
        tokensCancelled.ShouldBe(started.Value - 1);
        source.Disposed.Task.IsCompleted.ShouldBeTrue();
        source.Pulled.ShouldBeLessThanOrEqualTo(4);
    }

    [Fact]
    public async Task SelectConcurrentAsync_DisposeWithAStubbornItem_ReturnsOnlyAfterItStops()
    {
        var stubborn = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stubbornDone = false;
        var results = Enumerable.Range(0, 2).SelectConcurrentAsync(
            async (i, ct) =>
            {
                if (i == 0)
                    return 0;
                ct.Register(() => cancelRequested.TrySetResult());
                var value = await stubborn.Task; // ignores its token on purpose
                Volatile.Write(ref stubbornDone, true);
                return value;
            },
            maxConcurrency: 2,
            ResultOrder.Input);

        var e = results.GetAsyncEnumerator();
        (await e.MoveNextAsync().Within()).ShouldBeTrue();
        var dispose = e.DisposeAsync().AsTask();
        var doneWhenDisposed = dispose.ContinueWith(_ => Volatile.Read(ref stubbornDone), TaskScheduler.Default);
        await cancelRequested.Task.Within();
        dispose.IsCompleted.ShouldBeFalse();
        stubborn.SetResult(1);

        await dispose.Within();
        (await doneWhenDisposed.Within()).ShouldBeTrue();
    }

    [Fact]
    public async Task SelectConcurrentAsync_MoveNextAfterDispose_ReturnsFalse()
    {
        var e = Enumerable.Range(0, 3).SelectConcurrentAsync((i, _) => Task.FromResult(i), 1).GetAsyncEnumerator();
        (await e.MoveNextAsync()).ShouldBeTrue();
        await e.DisposeAsync();
        await e.DisposeAsync();
        (await e.MoveNextAsync()).ShouldBeFalse();
    }
}
