using System.Net;
using Microsoft.Extensions.Options;
using Salvo.ConcurrencyLimiting;
using Salvo.Tests.Support;

namespace Salvo.Tests.ConcurrencyLimiting;

public class ConcurrencyLimitHandlerTests
{
    [Fact]
    public async Task SendAsync_ManyConcurrentCallers_NeverExceedsFixedLimit()
    {
        var stub = new StubHandler(async (_, _) =>
        {
            for (var i = 0; i < 5; i++)
                await Task.Yield();
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var kit = new LimiterTestKit(LimiterTestKit.Fixed(5), stub);

        var calls = Enumerable.Range(0, 400).Select(i => Task.Run(() => kit.SendAsync($"r{i}"))).ToArray();
        var responses = await Task.WhenAll(calls);

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        stub.MaxInFlight.ShouldBeLessThanOrEqualTo(5);
        stub.Requests.Count.ShouldBe(400);
        kit.Gate.InFlight.ShouldBe(0);
        kit.Gate.Queued.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_LimitFull_WaitsAndServesInArrivalOrder()
    {
        using var kit = new LimiterTestKit(LimiterTestKit.Fixed(1));
        var first = kit.SendAsync("a");
        var a = await kit.Held.NextAsync();
        var queued = new[] { kit.SendAsync("b"), kit.SendAsync("c"), kit.SendAsync("d") };
        kit.Gate.Queued.ShouldBe(3);
        kit.Held.Arrived.ShouldBe(1);

        a.Respond();
        var late = kit.SendAsync("e"); // a newcomer must not overtake the line, even at the moment a slot frees up
        var order = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var next = await kit.Held.NextAsync();
            order.Add(next.Path);
            kit.Held.InFlight.ShouldBe(1);
            next.Respond();
        }

        order.ShouldBe(["/b", "/c", "/d", "/e"]);
        await Task.WhenAll([first, late, .. queued]);
        kit.Held.MaxInFlight.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_NoSlotWithinBudget_ThrowsThrottledAndFreesItsPlace()
    {
        using var kit = new LimiterTestKit(LimiterTestKit.Fixed(1));
        var holder = kit.SendAsync("holder");
        var held = await kit.Held.NextAsync();
        var waiting = kit.SendWithBudgetAsync("waiting", TimeSpan.FromSeconds(2));
        kit.Gate.Queued.ShouldBe(1);

        kit.Clock.Advance(TimeSpan.FromSeconds(1.9));
        waiting.IsCompleted.ShouldBeFalse();
        kit.Clock.Advance(TimeSpan.FromSeconds(0.1));

        var ex = await Should.ThrowAsync<SalvoThrottledException>(waiting);
        ex.Reason.ShouldBe(ThrottleReason.ConcurrencyLimit);
        ex.Partition.ShouldBe("api.test");
        ex.Method.ShouldBe("GET");
        ex.Url.ShouldBe("http://api.test/waiting");
        ex.IsTransient.ShouldBeTrue();
        kit.Gate.Queued.ShouldBe(0);
        kit.Held.Arrived.ShouldBe(1, "nothing was sent for the throttled call");
        held.Respond();
        (await holder).StatusCode.ShouldBe(HttpStatusCode.OK);
        kit.Gate.InFlight.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_RetryAfterEstimate_UsesSmoothedRoundTrip()
    {
        using var kit = new LimiterTestKit(LimiterTestKit.Fixed(1, maxQueue: 0));
        var warmup = kit.SendAsync("warmup");
        kit.Clock.Advance(TimeSpan.FromMilliseconds(200));
        (await kit.Held.NextAsync()).Respond();
        await warmup;
        var holder = kit.SendAsync("holder");
        var held = await kit.Held.NextAsync();

        var ex = await Should.ThrowAsync<SalvoThrottledException>(kit.SendAsync("rejected"));

        ex.RetryAfter!.Value.TotalMilliseconds.ShouldBe(200, 0.01);
        held.Respond();
        await holder;
    }

    [Fact]
    public async Task SendAsync_CallerCancelsWhileQueued_ThrowsCancelledAndLeavesTheLine()
    {
        using var kit = new LimiterTestKit(LimiterTestKit.Fixed(1));
        var holder = kit.SendAsync("holder");
        var held = await kit.Held.NextAsync();
        using var cts = new CancellationTokenSource();
        var cancelled = kit.SendWithBudgetAsync("cancelled", TimeSpan.FromSeconds(30), cts.Token);
        var next = kit.SendAsync("next");
        kit.Gate.Queued.ShouldBe(2);

        await cts.CancelAsync();

        var ex = await Should.ThrowAsync<OperationCanceledException>(cancelled);
        ex.ShouldNotBeOfType<SalvoThrottledException>();
        kit.Gate.Queued.ShouldBe(1);
        held.Respond();
        var served = await kit.Held.NextAsync();
        served.Path.ShouldBe("/next");
        served.Respond();
        await Task.WhenAll(holder, next);
        kit.Gate.InFlight.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_AlreadyCancelled_ThrowsWithoutSending()
    {
        using var kit = new LimiterTestKit(LimiterTestKit.Fixed(1));
        var holder = kit.SendAsync("holder");
        var held = await kit.Held.NextAsync();

        await Should.ThrowAsync<OperationCanceledException>(kit.SendAsync("late", new CancellationToken(canceled: true)));

        kit.Gate.Queued.ShouldBe(0);
        held.Respond();
        await holder;
    }

    [Fact]
    public async Task SendAsync_QueueFull_ThrowsThrottledAtOnce()
    {
        using var kit = new LimiterTestKit(LimiterTestKit.Fixed(1, maxQueue: 1));
        var holder = kit.SendAsync("holder");
        var held = await kit.Held.NextAsync();
        var queued = kit.SendAsync("queued");

        var ex = await Should.ThrowAsync<SalvoThrottledException>(kit.SendAsync("overflow"));

        ex.Reason.ShouldBe(ThrottleReason.ConcurrencyLimit);
        ex.RetryAfter.ShouldBeNull("no round trip has been seen yet");
        held.Respond();
        (await kit.Held.NextAsync()).Respond();
        await Task.WhenAll(holder, queued);
    }

    [Fact]
    public async Task SendAsync_TransportThrows_ReleasesTheSlot()
    {
        using var kit = new LimiterTestKit(LimiterTestKit.Fixed(1));
        var failing = kit.SendAsync("failing");
        var queued = kit.SendAsync("queued");
        (await kit.Held.NextAsync()).Fail(new HttpRequestException("boom"));

        await Should.ThrowAsync<HttpRequestException>(failing);
        (await kit.Held.NextAsync()).Respond();
        (await queued).StatusCode.ShouldBe(HttpStatusCode.OK);
        kit.Gate.InFlight.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_PerHost_OneFullHostDoesNotBlockAnother()
    {
        using var kit = new LimiterTestKit(LimiterTestKit.Fixed(1));
        var slow = kit.Invoker.SendAsync(LimiterTestKit.Get("x", "slow.test"), CancellationToken.None);
        var held = await kit.Held.NextAsync();

        var other = kit.Invoker.SendAsync(LimiterTestKit.Get("y", "fast.test"), CancellationToken.None);
        var arrived = await kit.Held.NextAsync();

        arrived.Request.RequestUri!.Host.ShouldBe("fast.test");
        kit.Handler.Partitions!.Gates.Count().ShouldBe(2);
        arrived.Respond();
        held.Respond();
        await Task.WhenAll(slow, other);
    }

    [Fact]
    public async Task SendAsync_NotPartitioned_HostsShareOneLimit()
    {
        var options = LimiterTestKit.Fixed(1);
        options.PartitionByHost = false;
        using var kit = new LimiterTestKit(options);
        var first = kit.Invoker.SendAsync(LimiterTestKit.Get("x", "one.test"), CancellationToken.None);
        var held = await kit.Held.NextAsync();

        var second = kit.Invoker.SendAsync(LimiterTestKit.Get("y", "two.test"), CancellationToken.None);

        kit.Gate.Queued.ShouldBe(1);
        held.Respond();
        (await kit.Held.NextAsync()).Respond();
        await Task.WhenAll(first, second);
    }

    [Fact]
    public async Task SendAsync_Off_PassesEverythingThrough()
    {
        using var kit = new LimiterTestKit(new ConcurrencyLimitOptions());
        var calls = Enumerable.Range(0, 50).Select(i => kit.SendAsync($"r{i}")).ToArray();

        for (var i = 0; i < 50; i++)
            (await kit.Held.NextAsync()).Respond();

        await Task.WhenAll(calls);
        kit.Held.MaxInFlight.ShouldBe(50);
        kit.Handler.Partitions.ShouldBeNull();
    }

    [Fact]
    public async Task Send_Synchronous_BlocksUntilASlotFrees()
    {
        using var kit = new LimiterTestKit(LimiterTestKit.Fixed(1));
        var first = Task.Run(() => kit.Invoker.Send(LimiterTestKit.Get("a"), CancellationToken.None));
        var a = await kit.Held.NextAsync();
        var second = Task.Run(() => kit.Invoker.Send(LimiterTestKit.Get("b"), CancellationToken.None));
        await Polling.UntilAsync(() => kit.Gate.Queued == 1);

        a.Respond();
        var b = await kit.Held.NextAsync();
        b.Path.ShouldBe("/b");
        b.Respond(HttpStatusCode.Accepted);

        (await first).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        kit.Held.MaxInFlight.ShouldBe(1);
        kit.Gate.InFlight.ShouldBe(0);
    }

    [Fact]
    public async Task Dispose_FailsQueuedCalls()
    {
        var kit = new LimiterTestKit(LimiterTestKit.Fixed(1));
        var holder = kit.SendAsync("holder");
        var held = await kit.Held.NextAsync();
        var queued = kit.SendAsync("queued");

        kit.Handler.Dispose();

        await Should.ThrowAsync<ObjectDisposedException>(queued);
        held.Respond();
        await holder;
        kit.Dispose();
    }

    [Fact]
    public void New_InvalidOptions_ThrowsListingEveryProblem()
    {
        var options = new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Adaptive, MinLimit = 0, MaxLimit = -1 };

        var ex = Should.Throw<OptionsValidationException>(() => new ConcurrencyLimitHandler(options));

        ex.Failures.Count().ShouldBeGreaterThanOrEqualTo(3);
    }
}
