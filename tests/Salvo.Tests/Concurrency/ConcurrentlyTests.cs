using Salvo.Concurrency;
using static Salvo.Concurrency.Concurrently;

namespace Salvo.Tests.Concurrency;

public class ConcurrentlyTests
{
    [Fact]
    public async Task All_ThreeTypedTasks_ReturnsATupleInArgumentOrder()
    {
        var (balance, games, open) = await All(Task.FromResult(12.5m), DelayedAsync(new[] { "dice", "crash" }), DelayedAsync(true));

        balance.ShouldBe(12.5m);
        games.ShouldBe(["dice", "crash"]);
        open.ShouldBeTrue();
    }

    [Fact]
    public async Task All_SevenTasks_ReturnsEveryValue()
    {
        var result = await Concurrently.All(
            Task.FromResult(1), DelayedAsync("two"), Task.FromResult(3L), DelayedAsync(4.0), Task.FromResult('5'), DelayedAsync((byte)6), Task.FromResult(7m));

        result.ShouldBe((1, "two", 3L, 4.0, '5', (byte)6, 7m));
    }

    [Fact]
    public async Task All_OneFailure_RethrowsThatExceptionAsIs()
    {
        var boom = new TimeoutException("slow");
        var thrown = await Should.ThrowAsync<TimeoutException>(All(DelayedAsync(1), FailAsync<string>(boom), DelayedAsync(3)));
        thrown.ShouldBeSameAs(boom);
    }

    [Fact]
    public async Task All_SeveralFailures_ThrowsAggregateInArgumentOrder()
    {
        var second = new FormatException();
        var fourth = new TimeoutException();
        var thrown = await Should.ThrowAsync<AggregateException>(All(DelayedAsync(1), FailAsync<int>(second), DelayedAsync(3), FailAsync<int>(fourth)));
        thrown.InnerExceptions.ShouldBe([second, fourth]);
    }

    [Fact]
    public async Task All_CancelledTask_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var thrown = await Should.ThrowAsync<OperationCanceledException>(All(DelayedAsync(1), Task.FromCanceled<int>(cts.Token)));
        thrown.CancellationToken.ShouldBe(cts.Token);
    }

    [Fact]
    public async Task All_OneFailsEarly_StillWaitsForTheOthers()
    {
        var slow = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var all = All(Task.FromException<int>(new FormatException()), slow.Task);

        all.IsCompleted.ShouldBeFalse();
        slow.SetResult(2);

        await Should.ThrowAsync<FormatException>(all.Within());
    }

    [Fact]
    public async Task All_Factories_FirstFailureCancelsSiblingsAndIsRethrownAlone()
    {
        var boom = new InvalidOperationException("boom");
        var siblingStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var siblingCancelled = false;

        var all = All(
            async ct =>
            {
                siblingStarted.SetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                    return 1;
                }
                catch (OperationCanceledException)
                {
                    siblingCancelled = true;
                    throw;
                }
            },
            async ct =>
            {
                await failNow.Task;
                return Throw<string>(boom);
            });
        await siblingStarted.Task.Within();
        failNow.SetResult();

        var thrown = await Should.ThrowAsync<InvalidOperationException>(all.Within());
        thrown.ShouldBeSameAs(boom);
        siblingCancelled.ShouldBeTrue();
    }

    [Fact]
    public async Task All_FactoryThrowsSynchronously_CancelsTheOthersAndRethrows()
    {
        CancellationToken seen = default;
        var thrown = await Should.ThrowAsync<ArgumentException>(All<int, int>(
            _ => throw new ArgumentException("sync"),
            ct =>
            {
                seen = ct;
                return Task.FromResult(2);
            }));

        thrown.Message.ShouldBe("sync");
        seen.CanBeCanceled.ShouldBeFalse(); // the second factory was never started
    }

    [Fact]
    public async Task All_FactoriesWithCallerCancellation_ThrowsWithTheCallersToken()
    {
        using var cts = new CancellationTokenSource();
        var started = new AwaitableCounter();
        var all = All(
            async ct =>
            {
                started.Increment();
                await Task.Delay(Timeout.Infinite, ct);
                return 1;
            },
            async ct =>
            {
                started.Increment();
                await Task.Delay(Timeout.Infinite, ct);
                return 2;
            },
            cts.Token);
        await started.WhenAtLeast(2);

        await cts.CancelAsync();

        var thrown = await Should.ThrowAsync<OperationCanceledException>(all.Within());
        thrown.CancellationToken.ShouldBe(cts.Token);
    }

    [Fact]
    public async Task All_FactoriesSucceed_ReturnsTheTuple()
    {
        var (a, b, c) = await All(ct => DelayedAsync(1), ct => DelayedAsync("b"), ct => Task.FromResult(3.0));
        (a, b, c).ShouldBe((1, "b", 3.0));
    }

    [Fact]
    public async Task All_List_ReturnsValuesInListOrder()
    {
        var gates = new Gates<int>();
        var all = All(Enumerable.Range(0, 4).Select(i => gates[i].Task).ToList());
        for (var i = 3; i >= 0; i--)
            gates[i].SetResult(i * 10);

        (await all.Within()).ShouldBe([0, 10, 20, 30]);
        (await All(Array.Empty<Task<int>>())).ShouldBeEmpty();
    }

    [Fact]
    public async Task All_ListWithFailures_FollowsTheSameErrorRules()
    {
        var one = new FormatException();
        (await Should.ThrowAsync<FormatException>(All(new[] { Task.FromResult(1), Task.FromException<int>(one) }))).ShouldBeSameAs(one);
        var thrown = await Should.ThrowAsync<AggregateException>(All(new[] { Task.FromException<int>(one), Task.FromException<int>(new TimeoutException()) }));
        thrown.InnerExceptions.Count.ShouldBe(2);
        thrown.InnerExceptions[0].ShouldBeSameAs(one);
    }

    [Fact]
    public void All_NullArguments_Throw()
    {
        Should.Throw<ArgumentNullException>(() => All<int, int>((Task<int>)null!, Task.FromResult(1)));
        Should.Throw<ArgumentNullException>(() => All<int, int>(_ => Task.FromResult(1), null!));
        Should.Throw<ArgumentNullException>(() => All((IEnumerable<Task<int>>)null!));
        Should.Throw<ArgumentException>(() => All(new Task<int>[] { null! }));
    }

    private static async Task<T> DelayedAsync<T>(T value)
    {
        await Task.Yield();
        return value;
    }

    private static T Throw<T>(Exception error) => throw error;

    private static async Task<T> FailAsync<T>(Exception error)
    {
        await Task.Yield();
        throw error;
    }
}
