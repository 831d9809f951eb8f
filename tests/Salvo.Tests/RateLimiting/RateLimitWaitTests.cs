using System.Net;
using Salvo.RateLimiting;

namespace Salvo.Tests.RateLimiting;

public class RateLimitWaitTests
{
    [Fact]
    public async Task SendAsync_WaitFitsTheBudget_WaitsThenSends()
    {
        var server = new AnswerAtOnce();
        using var kit = new RateLimitKit(RateLimitKit.Configured("1/1s"), server);
        await kit.SendAsync("a");

        var waiting = kit.SendWithBudgetAsync("b", TimeSpan.FromSeconds(2));
        kit.Clock.Advance(TimeSpan.FromMilliseconds(990));
        waiting.IsCompleted.ShouldBeFalse();
        kit.Clock.Advance(TimeSpan.FromMilliseconds(20));

        (await waiting).StatusCode.ShouldBe(HttpStatusCode.OK);
        server.Count.ShouldBe(2);
        kit.Limiter.Counters.Waited.ShouldBe(1);
        kit.Limiter.Counters.Admitted.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_WaitLongerThanBudget_ThrowsAtOnceWithRetryAfter()
    {
        var server = new AnswerAtOnce();
        using var kit = new RateLimitKit(RateLimitKit.Configured("1/1s"), server);
        await kit.SendAsync("a");
        kit.Clock.Advance(TimeSpan.FromMilliseconds(200));

        var ex = await Should.ThrowAsync<SalvoThrottledException>(kit.SendWithBudgetAsync("b?api_key=s3cret", TimeSpan.FromMilliseconds(500)));

        ex.Reason.ShouldBe(ThrottleReason.RateLimit);
        ex.Partition.ShouldBe("api.test");
        ex.RetryAfter!.Value.TotalMilliseconds.ShouldBe(800, 20);
        ex.IsTransient.ShouldBeTrue();
        ex.Message.ShouldNotContain("s3cret");
        server.Count.ShouldBe(1, "nothing was sent");
        kit.Limiter.Counters.Throttled.ShouldBe(1);
        kit.Partition.Waiting.ShouldBe(0);
        kit.Logs.Lines.ShouldContain(l => l.StartsWith("Debug:805:", StringComparison.Ordinal) && l.Contains("api.test") && !l.Contains("s3cret"));
    }

    [Fact]
    public async Task SendAsync_ThrowMode_ThrowsAtOnceEvenWithTimeToWait()
    {
        var server = new AnswerAtOnce();
        using var kit = new RateLimitKit(RateLimitKit.Configured("2/1s,3/1m", RateLimitMode.Throw), server);
        await kit.SendAsync("a");
        await kit.SendAsync("b");

        var ex = await Should.ThrowAsync<SalvoThrottledException>(kit.SendAsync("c"));

        ex.RetryAfter!.Value.ShouldBe(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(20));
        server.Count.ShouldBe(2);
        kit.Clock.Advance(TimeSpan.FromSeconds(1.02));
        await kit.SendAsync("c");
        var minute = await Should.ThrowAsync<SalvoThrottledException>(kit.SendAsync("d"));
        minute.RetryAfter!.Value.TotalSeconds.ShouldBe(59, 0.1, "the minute window is the one that holds d back");
    }

    [Fact]
    public async Task SendAsync_ThrowModeWhileProbing_WaitsForTheProbesAnswer()
    {
        using var kit = new RateLimitKit(new RateLimitOptions { Mode = RateLimitMode.Throw });
        var probe = kit.SendAsync("probe");
        var call = await kit.Server.NextAsync();
        var second = kit.SendAsync("second");

        second.IsCompleted.ShouldBeFalse("learning is not a limit: waiting for the probe is not throttling");
        call.Respond(RateHeaders.Plenty);
        (await kit.Server.NextAsync()).Respond(RateHeaders.Plenty);
        await Task.WhenAll(probe, second);
    }

    [Fact]
    public async Task SendAsync_WaitOutlastsBudget_ThrowsThrottledAndLeavesTheLine()
    {
        using var kit = new RateLimitKit(RateLimitKit.Configured("1/1s"));
        var holder = kit.SendAsync("holder");
        var held = await kit.Server.NextAsync();

        var waiting = kit.SendWithBudgetAsync("waiting", TimeSpan.FromSeconds(1.5));
        kit.Partition.Waiting.ShouldBe(1, "a lower bound of 1 s fits in the budget, so it waits");
        kit.Clock.Advance(TimeSpan.FromSeconds(1.5));

        var ex = await Should.ThrowAsync<SalvoThrottledException>(waiting);
        ex.Reason.ShouldBe(ThrottleReason.RateLimit);
        ex.RetryAfter.ShouldNotBeNull();
        kit.Partition.Waiting.ShouldBe(0);
        kit.Server.Arrived.ShouldBe(1);
        held.Respond();
        await holder;
    }

    [Fact]
    public async Task SendAsync_CallerCancelsWaiter_CancelledAndTheLineMovesOn()
    {
        var server = new AnswerAtOnce();
        using var kit = new RateLimitKit(RateLimitKit.Configured("1/1s"), server);
        await kit.SendAsync("a");
        using var cts = new CancellationTokenSource();
        var cancelled = kit.SendAsync("cancelled", cts.Token);
        var next = kit.SendAsync("next");

        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(cancelled);
        kit.Partition.Waiting.ShouldBe(1);
        kit.Clock.Advance(TimeSpan.FromSeconds(1.02));

        await next;
        server.Paths.ShouldBe(["/a", "/next"]);
        kit.Limiter.Counters.Throttled.ShouldBe(0, "a cancellation is not throttling");
    }

    [Fact]
    public async Task SendAsync_LineOfWaiters_ServedFirstComeFirstServed()
    {
        var server = new AnswerAtOnce();
        using var kit = new RateLimitKit(RateLimitKit.Configured("1/1s"), server);
        await kit.SendAsync("a");
        var queued = new[] { kit.SendAsync("b"), kit.SendAsync("c"), kit.SendAsync("d") };

        for (var i = 1; i <= 3; i++)
        {
            kit.Clock.Advance(TimeSpan.FromSeconds(1.02));
            await queued[i - 1];
            if (i == 1)
                queued = [.. queued, kit.SendAsync("e")]; // a newcomer joins the end of the line, even with room just freed
        }
        kit.Clock.Advance(TimeSpan.FromSeconds(1.02));
        await Task.WhenAll(queued);

        server.Paths.ShouldBe(["/a", "/b", "/c", "/d", "/e"]);
    }

    [Fact]
    public async Task SendAsync_Disposed_WaitersFailWithObjectDisposed()
    {
        var kit = new RateLimitKit(RateLimitKit.Configured("1/1s"), new AnswerAtOnce());
        await kit.SendAsync("a");
        var waiting = kit.SendAsync("b");

        kit.Dispose();

        await Should.ThrowAsync<ObjectDisposedException>(waiting);
        Should.Throw<ObjectDisposedException>(() => kit.Limiter.AttemptAcquire(RateLimitKit.Get("c")));
    }

    [Fact]
    public async Task Send_Synchronous_BlocksUntilRoom()
    {
        var server = new AnswerAtOnce();
        using var kit = new RateLimitKit(RateLimitKit.Configured("1/1s"), server);
        kit.Invoker.Send(RateLimitKit.Get("a"), CancellationToken.None).StatusCode.ShouldBe(HttpStatusCode.OK);

        var blocked = Task.Run(() => kit.Invoker.Send(RateLimitKit.Get("b"), CancellationToken.None));
        await PollAsync(() => kit.Partition.Waiting == 1);
        kit.Clock.Advance(TimeSpan.FromSeconds(1.02));

        (await blocked).StatusCode.ShouldBe(HttpStatusCode.OK);
        server.Paths.ShouldBe(["/a", "/b"]);
    }

    [Fact]
    public void Send_SynchronousThrowMode_ThrowsThrottled()
    {
        using var kit = new RateLimitKit(RateLimitKit.Configured("1/1s", RateLimitMode.Throw), new AnswerAtOnce());
        kit.Invoker.Send(RateLimitKit.Get("a"), CancellationToken.None).Dispose();

        Should.Throw<SalvoThrottledException>(() => kit.Invoker.Send(RateLimitKit.Get("b"), CancellationToken.None)).Partition.ShouldBe("api.test");
    }

    /// <summary>Waits for a fact another thread establishes; never waits for time (the limit only ends a broken test).</summary>
    internal static async Task PollAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            limit.Token.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }
}
