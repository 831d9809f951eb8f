using Salvo.Concurrency;

namespace Salvo.Tests.Concurrency;

public class TaskGroupTests
{
    [Fact]
    public async Task StartAsync_BoundReached_WaitsUntilASlotFrees()
    {
        var gates = new Gates<int>();
        await using var group = new TaskGroup<int>(new TaskGroupOptions { MaxConcurrency = 2 });

        await group.StartAsync(ct => gates.WaitAsync(0, ct));
        await group.StartAsync(ct => gates.WaitAsync(1, ct));
        var thirdStarted = false;
        var third = group.StartAsync(ct =>
        {
            thirdStarted = true;
            return gates.WaitAsync(2, ct);
        }).AsTask();

        third.IsCompleted.ShouldBeFalse();
        thirdStarted.ShouldBeFalse();
        group.Running.ShouldBe(2);

        gates[1].SetResult(1);
        await third.Within();
        thirdStarted.ShouldBeTrue();
        group.Count.ShouldBe(3);

        gates[0].SetResult(0);
        gates[2].SetResult(2);
        (await group.WhenAllAsync().Within()).ShouldBe([0, 1, 2]);
        group.Running.ShouldBe(0);
    }

    [Fact]
    public async Task WhenAllAsync_TasksFinishInReverse_ReturnsResultsInSubmissionOrder()
    {
        var gates = new Gates<string>();
        await using var group = new TaskGroup<string>();
        for (var i = 0; i < 5; i++)
        {
            var index = i;
            await group.StartAsync(ct => gates.WaitAsync(index, ct));
        }
        for (var i = 4; i >= 0; i--)
            gates[i].SetResult($"r{i}");

        (await group.WhenAllAsync().Within()).ShouldBe(["r0", "r1", "r2", "r3", "r4"]);
    }

    [Fact]
    public async Task WhenAllAsync_CollectModeWithFailures_ThrowsAggregateOfEveryFailureInSubmissionOrder()
    {
        var gates = new Gates<int>();
        var first = new FormatException("first submitted");
        var second = new TimeoutException("second submitted");
        await using var group = new TaskGroup<int>();
        await group.StartAsync(ct => gates.WaitAsync(0, ct));
        await group.StartAsync(ct => gates.WaitAsync(1, ct));
        await group.StartAsync(ct => gates.WaitAsync(2, ct));
        gates[2].SetException(second);
        gates[1].SetResult(1);
        gates[0].SetException(first);

        var thrown = await Should.ThrowAsync<AggregateException>(group.WhenAllAsync().Within());
        thrown.InnerExceptions.ShouldBe([first, second]);
        group.Token.IsCancellationRequested.ShouldBeFalse();
    }

    [Fact]
    public async Task WhenAllAsync_SingleFailureInCollectMode_IsStillWrapped()
    {
        var boom = new InvalidOperationException();
        await using var group = new TaskGroup<int>();
        await group.StartAsync(_ => Task.FromResult(1));
        await group.StartAsync(_ => throw boom);

        var thrown = await Should.ThrowAsync<AggregateException>(group.WhenAllAsync());
        thrown.InnerExceptions.ShouldHaveSingleItem().ShouldBeSameAs(boom);
    }

    [Fact]
    public async Task WhenAllAsync_FailFast_CancelsSiblingsAndRethrowsTheFirstFailure()
    {
        var gates = new Gates<int>();
        var boom = new InvalidOperationException("boom");
        await using var group = new TaskGroup<int>(new TaskGroupOptions { Errors = ErrorMode.FailFast });
        await group.StartAsync(ct => gates.WaitAsync(0, ct));
        await group.StartAsync(ct => gates.WaitAsync(1, ct));
        gates[1].SetException(boom);

        var thrown = await Should.ThrowAsync<InvalidOperationException>(group.WhenAllAsync().Within());
        thrown.ShouldBeSameAs(boom);
        group.Token.IsCancellationRequested.ShouldBeTrue();
        group.Running.ShouldBe(0);
    }

    [Fact]
    public async Task StartAsync_FailFastAfterAFailure_RethrowsItWithoutStartingWork()
    {
        var boom = new InvalidOperationException("boom");
        await using var group = new TaskGroup<int>(new TaskGroupOptions { Errors = ErrorMode.FailFast });
        await group.StartAsync(_ => Task.FromException<int>(boom));

        var invoked = false;
        var thrown = await Should.ThrowAsync<InvalidOperationException>(group.StartAsync(_ =>
        {
            invoked = true;
            return Task.FromResult(1);
        }).AsTask());

        thrown.ShouldBeSameAs(boom);
        invoked.ShouldBeFalse();
        group.Count.ShouldBe(1);
    }

    [Fact]
    public async Task StartAsync_FailFastWhileWaitingForASlot_RethrowsTheFailure()
    {
        var gates = new Gates<int>();
        var boom = new InvalidOperationException("boom");
        await using var group = new TaskGroup<int>(new TaskGroupOptions { MaxConcurrency = 1, Errors = ErrorMode.FailFast });
        await group.StartAsync(ct => gates[0].Task); // ignores the token, keeps the only slot
        try
        {
            var waiting = group.StartAsync(_ => Task.FromResult(1)).AsTask();
            waiting.IsCompleted.ShouldBeFalse();

            gates[0].SetException(boom);

            (await Should.ThrowAsync<InvalidOperationException>(waiting.Within())).ShouldBeSameAs(boom);
            group.Count.ShouldBe(1);
        }
        finally
        {
            gates[0].TrySetResult(0); // lets disposal finish if an assertion failed first
        }
    }

    [Fact]
    public async Task Cancel_RunningTasks_CancelsTheTokenAndWhenAllThrowsOperationCanceled()
    {
        var started = new AwaitableCounter();
        await using var group = new TaskGroup<int>();
        for (var i = 0; i < 3; i++)
        {
            await group.StartAsync(async ct =>
            {
                started.Increment();
                await Task.Delay(Timeout.Infinite, ct);
                return 0;
            });
        }
        await started.WhenAtLeast(3);

        group.Cancel();

        var thrown = await Should.ThrowAsync<OperationCanceledException>(group.WhenAllAsync().Within());
        thrown.CancellationToken.ShouldBe(group.Token);
        group.Running.ShouldBe(0);
        await Should.ThrowAsync<InvalidOperationException>(group.StartAsync(_ => Task.FromResult(1)).AsTask());
    }

    [Fact]
    public async Task StartAsync_AfterCancel_ThrowsOperationCanceled()
    {
        await using var group = new TaskGroup<int>();
        group.Cancel();

        await Should.ThrowAsync<OperationCanceledException>(group.StartAsync(_ => Task.FromResult(1)).AsTask());
    }

    [Fact]
    public async Task WhenAllSettledAsync_MixedOutcomes_ReturnsEveryValueAndErrorWithoutThrowing()
    {
        var boom = new FormatException();
        await using var group = new TaskGroup<int>();
        await group.StartAsync(_ => Task.FromResult(10));
        await group.StartAsync(_ => Task.FromException<int>(boom));
        await group.StartAsync(async _ =>
        {
            await Task.Yield();
            return 30;
        });

        var outcomes = await group.WhenAllSettledAsync().Within();

        outcomes.Select(o => o.Index).ShouldBe([0, 1, 2]);
        outcomes[0].Value.ShouldBe(10);
        outcomes[1].IsSuccess.ShouldBeFalse();
        outcomes[1].Error.ShouldBeSameAs(boom);
        Should.Throw<InvalidOperationException>(() => outcomes[1].Value).InnerException.ShouldBeSameAs(boom);
        outcomes[2].TryGetValue(out var third).ShouldBeTrue();
        third.ShouldBe(30);
    }

    [Fact]
    public async Task DisposeAsync_NeverAwaited_CancelsAndWaitsForRunningTasks()
    {
        var started = new AwaitableCounter();
        var stopped = 0;
        var group = new TaskGroup<int>(new TaskGroupOptions { MaxConcurrency = 4 });
        for (var i = 0; i < 4; i++)
        {
            await group.StartAsync(async ct =>
            {
                started.Increment();
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                    return 0;
                }
                finally
                {
                    Interlocked.Increment(ref stopped);
                }
            });
        }
        await started.WhenAtLeast(4);

        await group.DisposeAsync().AsTask().Within();

        group.Token.IsCancellationRequested.ShouldBeTrue();
        Volatile.Read(ref stopped).ShouldBe(4);
        group.Running.ShouldBe(0);
        await Should.ThrowAsync<InvalidOperationException>(group.StartAsync(_ => Task.FromResult(1)).AsTask());
    }

    [Fact]
    public async Task DisposeAsync_AfterWhenAll_DoesNotCancel()
    {
        var group = new TaskGroup<int>();
        await group.StartAsync(_ => Task.FromResult(1));
        await group.WhenAllAsync();

        await group.DisposeAsync();

        group.Token.IsCancellationRequested.ShouldBeFalse();
    }

    [Fact]
    public async Task StartAsync_AfterWhenAll_ThrowsInvalidOperation()
    {
        await using var group = new TaskGroup<int>();
        await group.StartAsync(_ => Task.FromResult(1));
        (await group.WhenAllAsync()).ShouldBe([1]);

        await Should.ThrowAsync<InvalidOperationException>(group.StartAsync(_ => Task.FromResult(2)).AsTask());
    }

    [Fact]
    public async Task StartAsync_WorkThrowsSynchronously_IsRecordedAsThatTasksFailure()
    {
        await using var group = new TaskGroup<int>();
        await group.StartAsync(_ => throw new ArgumentException("sync"));

        var outcome = (await group.WhenAllSettledAsync()).ShouldHaveSingleItem();
        outcome.Error.ShouldBeOfType<ArgumentException>();
    }

    [Fact]
    public async Task Constructor_TokenCancelled_CancelsTheGroup()
    {
        using var cts = new CancellationTokenSource();
        await using var group = new TaskGroup<int>(cancellationToken: cts.Token);
        await group.StartAsync(async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        });

        await cts.CancelAsync();

        group.Token.IsCancellationRequested.ShouldBeTrue();
        var thrown = await Should.ThrowAsync<OperationCanceledException>(group.WhenAllAsync().Within());
        thrown.CancellationToken.ShouldBe(cts.Token);
    }

    [Fact]
    public async Task WhenAllAsync_WaitCancelled_CancelsTheWorkAndThrowsAfterItStops()
    {
        using var cts = new CancellationTokenSource();
        var started = new AwaitableCounter();
        await using var group = new TaskGroup<int>();
        await group.StartAsync(async ct =>
        {
            started.Increment();
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        });
        await started.WhenAtLeast(1);

        var wait = group.WhenAllAsync(cts.Token);
        await cts.CancelAsync();

        var thrown = await Should.ThrowAsync<OperationCanceledException>(wait.Within());
        thrown.CancellationToken.ShouldBe(cts.Token);
        group.Running.ShouldBe(0);
    }

    [Fact]
    public async Task StartAsync_ManyConcurrentCallers_IndexesEveryTaskOnceAndRespectsTheBound()
    {
        var tracker = new InFlightTracker();
        await using var group = new TaskGroup<int>(new TaskGroupOptions { MaxConcurrency = 4 });
        var starters = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                var value = worker * 100 + i;
                await group.StartAsync(async _ =>
                {
                    tracker.Enter();
                    await Task.Yield();
                    tracker.Exit();
                    return value;
                });
            }
        }));
        await Task.WhenAll(starters).Within();

        var outcomes = await group.WhenAllSettledAsync().Within();

        group.Count.ShouldBe(200);
        outcomes.Select(o => o.Index).ShouldBe(Enumerable.Range(0, 200));
        outcomes.Select(o => o.Value).Order().ShouldBe(Enumerable.Range(0, 8).SelectMany(w => Enumerable.Range(w * 100, 25)));
        tracker.Max.ShouldBeLessThanOrEqualTo(4);
    }

    [Fact]
    public async Task StartAsync_CallerTokenCancelledWhileWaiting_ThrowsWithThatToken()
    {
        using var cts = new CancellationTokenSource();
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var group = new TaskGroup<int>(new TaskGroupOptions { MaxConcurrency = 1 });
        await group.StartAsync(ct => gate.Task.WaitAsync(ct));
        var waiting = group.StartAsync(_ => Task.FromResult(2), cts.Token).AsTask();

        await cts.CancelAsync();

        var thrown = await Should.ThrowAsync<OperationCanceledException>(waiting.Within());
        thrown.CancellationToken.ShouldBe(cts.Token);
        group.Token.IsCancellationRequested.ShouldBeFalse();
        gate.SetResult(1);
        (await group.WhenAllAsync().Within()).ShouldBe([1]);
    }
}
