using System.Net;
using Microsoft.Extensions.Logging;
using Salvo.Resilience;
using Salvo.Testing;
using Salvo.Tests.Support;
using static Salvo.Tests.Resilience.ResilienceKit;

namespace Salvo.Tests.Resilience;

public class HedgingHandlerTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(100);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task SendAsync_SlowFirstAttempt_HedgesAfterTheDelayNotBefore()
    {
        var transport = new RaceTransport();
        var handler = Hedging();
        using var invoker = Chain(transport, handler);

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        var primary = await transport.NextAsync();
        await UntilAsync(() => _time.ActiveTimers == 1, "the hedge delay is scheduled");
        _time.Advance(Delay - TimeSpan.FromMilliseconds(1));
        _time.ActiveTimers.ShouldBe(1, "the delay has not passed");
        handler.Counters.Hedged.ShouldBe(0);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var hedge = await transport.NextAsync();
        handler.Counters.Hedged.ShouldBe(1);
        hedge.Request.ShouldNotBeSameAs(primary.Request, "two attempts in flight never share a request");
        primary.Respond();
        using var response = await call;
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SendAsync_AnswerBeforeTheDelay_IsNeverHedgedAndLeavesNoTimer()
    {
        var transport = new RaceTransport();
        var handler = Hedging();
        using var invoker = Chain(transport, handler);

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        var primary = await transport.NextAsync();
        await UntilAsync(() => _time.ActiveTimers == 1, "the hedge delay is scheduled");
        _time.Advance(Delay - TimeSpan.FromMilliseconds(1));
        primary.Respond();
        using var response = await call;

        _time.ActiveTimers.ShouldBe(0, "the delay's timer is stopped once the attempt answers");
        _time.Advance(Delay);
        transport.Arrived.ShouldBe(1);
        handler.Counters.Hedged.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_HedgeAnswersFirst_ReturnsItAndCancelsAndDisposesTheLoser()
    {
        var transport = new RaceTransport { IgnoreCancellation = true };
        var handler = Hedging();
        using var invoker = Chain(transport, handler);
        var request = Get();

        var call = invoker.SendAsync(request, CancellationToken.None);
        var (primary, hedge) = await LaunchHedgeAsync(transport);
        var hedgeResponse = hedge.Respond();
        using var response = await call;

        response.ShouldBeSameAs(hedgeResponse);
        response.RequestMessage.ShouldBeSameAs(request, "the caller sees the request it sent");
        primary.Token.IsCancellationRequested.ShouldBeTrue("the loser is cancelled");
        handler.Counters.HedgesWon.ShouldBe(1);
        var late = primary.Respond();
        await UntilAsync(() => ((TrackedContent)late.Content).Disposed, "the loser's late response is disposed");
        ((TrackedContent)response.Content).Disposed.ShouldBeFalse();
    }

    [Fact]
    public async Task SendAsync_FirstAttemptAnswersAfterTheHedgeLaunched_ReturnsItAndCancelsTheHedge()
    {
        var transport = new RaceTransport();
        var handler = Hedging();
        using var invoker = Chain(transport, handler);

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        var (primary, hedge) = await LaunchHedgeAsync(transport);
        var first = primary.Respond();
        using var response = await call;

        response.ShouldBeSameAs(first);
        hedge.Token.IsCancellationRequested.ShouldBeTrue();
        await Should.ThrowAsync<OperationCanceledException>(() => hedge.Response);
        handler.Counters.HedgesWon.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_FirstToAnswerIsTransient_WaitsForTheOtherAttempt()
    {
        var transport = new RaceTransport();
        using var invoker = Chain(transport, Hedging());

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        var (primary, hedge) = await LaunchHedgeAsync(transport);
        var failed = primary.Respond(HttpStatusCode.ServiceUnavailable);
        await primary.Response;
        hedge.Respond();
        using var response = await call;

        response.StatusCode.ShouldBe(HttpStatusCode.OK, "a 503 does not win while the other attempt may still answer");
        await UntilAsync(() => ((TrackedContent)failed.Content).Disposed, "the discarded 503 is disposed");
    }

    [Fact]
    public async Task SendAsync_HedgeFailsWithAnException_ReturnsTheFirstAttemptsAnswer()
    {
        var transport = new RaceTransport();
        using var invoker = Chain(transport, Hedging());

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        var (primary, hedge) = await LaunchHedgeAsync(transport);
        hedge.Fail(new HttpRequestException(HttpRequestError.ConnectionError, "refused"));
        await Should.ThrowAsync<HttpRequestException>(() => hedge.Response);
        primary.Respond(HttpStatusCode.NotFound);
        using var response = await call;

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound, "a 404 is an answer, not a transient failure");
    }

    [Fact]
    public async Task SendAsync_BothAttemptsFail_ReturnsTheFirstAttemptsOutcome()
    {
        var transport = new RaceTransport();
        using var invoker = Chain(transport, Hedging());

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        var (primary, hedge) = await LaunchHedgeAsync(transport);
        var hedgeFailure = hedge.Respond(HttpStatusCode.BadGateway);
        await hedge.Response;
        primary.Respond(HttpStatusCode.ServiceUnavailable);
        using var response = await call;

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        await UntilAsync(() => ((TrackedContent)hedgeFailure.Content).Disposed, "the hedge's 502 is disposed");
    }

    [Fact]
    public async Task SendAsync_FirstAttemptFailsBeforeTheDelay_ReturnsTheFailureWithoutHedging()
    {
        var transport = new RaceTransport();
        var handler = Hedging();
        using var invoker = Chain(transport, handler);

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        (await transport.NextAsync()).Respond(HttpStatusCode.ServiceUnavailable);
        using var response = await call;

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, "failures are the retry layer's job, with its backoff");
        handler.Counters.Hedged.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_CancelsBothAttempts()
    {
        var transport = new RaceTransport();
        using var invoker = Chain(transport, Hedging());
        using var cancel = new CancellationTokenSource();

        var call = invoker.SendAsync(Get(), cancel.Token);
        var (primary, hedge) = await LaunchHedgeAsync(transport);
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call);
        primary.Token.IsCancellationRequested.ShouldBeTrue();
        hedge.Token.IsCancellationRequested.ShouldBeTrue();
    }

    [Fact]
    public async Task SendAsync_CallerCancelsDuringTheDelay_SendsNoHedge()
    {
        var transport = new RaceTransport();
        var handler = Hedging();
        using var invoker = Chain(transport, handler);
        using var cancel = new CancellationTokenSource();

        var call = invoker.SendAsync(Get(), cancel.Token);
        var primary = await transport.NextAsync();
        await UntilAsync(() => _time.ActiveTimers == 1, "the hedge delay is scheduled");
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call);
        primary.Token.IsCancellationRequested.ShouldBeTrue();
        _time.Advance(Delay);
        transport.Arrived.ShouldBe(1);
        handler.Counters.Hedged.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_RequestWithBody_SendsTheHedgeTheSameBodyAndHeaders()
    {
        var transport = new RaceTransport();
        using var invoker = Chain(transport, Hedging());
        var request = Get();
        request.Content = new StringContent("""{"query":"slots"}""", System.Text.Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation("X-Trace", "t-1");

        var call = invoker.SendAsync(request, CancellationToken.None);
        var (primary, hedge) = await LaunchHedgeAsync(transport);
        hedge.Respond();
        using var response = await call;

        primary.Body.ShouldBe("""{"query":"slots"}""");
        hedge.Body.ShouldBe(primary.Body);
        hedge.Request.Content!.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
        hedge.Request.Content.Headers.ContentLength.ShouldBe(17);
        hedge.Request.Headers.GetValues("X-Trace").ShouldBe(["t-1"]);
        hedge.Request.Method.ShouldBe(HttpMethod.Get);
        hedge.Request.RequestUri.ShouldBe(request.RequestUri);
    }

    [Fact]
    public async Task SendAsync_StreamBody_IsNotHedged()
    {
        var transport = new RaceTransport();
        var handler = Hedging();
        using var invoker = Chain(transport, handler);
        var request = Get();
        request.Content = new StreamContent(new ForwardOnlyStream("once"u8.ToArray()));

        var call = invoker.SendAsync(request, CancellationToken.None);
        var primary = await transport.NextAsync();

        _time.ActiveTimers.ShouldBe(0, "a body that can be read only once cannot be sent twice");
        primary.Body.ShouldBe("once");
        primary.Respond();
        (await call).Dispose();
    }

    public static TheoryData<string> UnsafeMethods => new() { "POST", "PUT", "DELETE", "PATCH" };

    [Theory]
    [MemberData(nameof(UnsafeMethods))]
    public async Task SendAsync_MethodThatIsNotSafe_IsNeverHedgedEvenWhenAskedFor(string method)
    {
        var transport = new RaceTransport();
        var handler = Hedging();
        using var invoker = Chain(transport, handler);
        var request = new HttpRequestMessage(new HttpMethod(method), "http://api.test/items").WithSalvoSettings(new SalvoRequestSettings { Hedge = true });

        var call = invoker.SendAsync(request, CancellationToken.None);
        var primary = await transport.NextAsync();

        _time.ActiveTimers.ShouldBe(0, "no hedge delay is ever scheduled");
        primary.Respond();
        (await call).Dispose();
        handler.Counters.Hedged.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_HedgeFalseOnTheRequest_IsNotHedged()
    {
        var transport = new RaceTransport();
        using var invoker = Chain(transport, Hedging());
        var request = Get().WithSalvoSettings(new SalvoRequestSettings { Hedge = false });

        var call = invoker.SendAsync(request, CancellationToken.None);
        var primary = await transport.NextAsync();

        _time.ActiveTimers.ShouldBe(0);
        primary.Respond();
        (await call).Dispose();
    }

    [Fact]
    public async Task SendAsync_HedgeTrueOnTheRequestWhileOff_IsHedged()
    {
        var transport = new RaceTransport();
        var handler = Hedging(o => o.Enabled = false);
        using var invoker = Chain(transport, handler);

        var off = invoker.SendAsync(Get(), CancellationToken.None);
        (await transport.NextAsync()).Respond();
        (await off).Dispose();
        _time.ActiveTimers.ShouldBe(0, "off by default");
        var call = invoker.SendAsync(Get().WithSalvoSettings(new SalvoRequestSettings { Hedge = true }), CancellationToken.None);
        var (_, hedge) = await LaunchHedgeAsync(transport);
        hedge.Respond();

        (await call).Dispose();
        handler.Counters.Hedged.ShouldBe(1);
    }

    [Fact]
    public void Send_Synchronous_PassesThroughWithoutHedging()
    {
        var handler = Hedging();
        using var invoker = Chain(new SyncStub(), handler);

        using var response = invoker.Send(Get(), CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _time.ActiveTimers.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_PercentileKnown_HedgesAtTheLivePercentileInsteadOfTheFixedDelay()
    {
        var transport = new RaceTransport();
        var handler = Hedging(o => (o.Percentile, o.WindowSize, o.Delay) = (0.95, 20, TimeSpan.FromSeconds(2)));
        using var invoker = Chain(transport, handler);
        for (var i = 0; i < HedgingOptions.MinimumSamples; i++)
            await AnswerAfterAsync(invoker, transport, TimeSpan.FromMilliseconds(30));

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        await transport.NextAsync();
        await UntilAsync(() => _time.ActiveTimers == 1, "the hedge delay is scheduled");
        _time.Advance(TimeSpan.FromMilliseconds(29));
        _time.ActiveTimers.ShouldBe(1, "the p95 of 30 ms answers is 30 ms, far below the fixed 2 s");
        _time.Advance(TimeSpan.FromMilliseconds(2));

        var hedge = await transport.NextAsync();
        hedge.Respond();
        (await call).Dispose();
        handler.Counters.Hedged.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_LatenciesShift_PercentileDelayFollowsThem()
    {
        var transport = new RaceTransport();
        // A budget that never pays for a hedge: every answer is the first attempt's, after its full latency.
        var handler = Hedging(o => (o.Percentile, o.WindowSize, o.BudgetRatio) = (0.95, 20, 0.001));
        using var invoker = Chain(transport, handler);
        var uri = new Uri("http://api.test/items");

        handler.GetDelay(uri).ShouldBeNull("no hedgeable call has gone to the origin yet");
        for (var i = 0; i < HedgingOptions.MinimumSamples - 1; i++)
            await AnswerAfterAsync(invoker, transport, TimeSpan.FromMilliseconds(20 + i));
        handler.GetDelay(uri).ShouldBe(Delay, "the fixed delay until the window holds enough samples");
        await AnswerAfterAsync(invoker, transport, TimeSpan.FromMilliseconds(20 + HedgingOptions.MinimumSamples - 1));
        // The fake clock's odd frequency rounds elapsed times by a fraction of a microsecond.
        handler.GetDelay(uri)!.Value.ShouldBe(TimeSpan.FromMilliseconds(38), TimeSpan.FromMicroseconds(1), "p95 of 20..39 ms by nearest rank is the 19th of 20");
        for (var i = 0; i < 24; i++)
            await AnswerAfterAsync(invoker, transport, TimeSpan.FromMilliseconds(250));

        handler.GetDelay(uri)!.Value.ShouldBe(TimeSpan.FromMilliseconds(250), TimeSpan.FromMicroseconds(1), "the window now holds only the slower answers");
        handler.Counters.DeniedByBudget.ShouldBeGreaterThan(0, "the slower answers outlasted the older percentile");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task SendAsync_RandomLatencies_HedgesStayWithinTheBudgetInEveryWindow(int seed)
    {
        const double Ratio = 0.05;
        var window = TimeSpan.FromSeconds(1);
        var delay = TimeSpan.FromMilliseconds(10);
        var random = new Random(seed);
        var transport = new RaceTransport();
        var handler = Hedging(o => (o.Delay, o.BudgetRatio, o.BudgetWindow) = (delay, Ratio, window));
        using var invoker = Chain(transport, handler);
        var calls = new List<TimeSpan>();
        var hedges = new List<TimeSpan>();
        var clock = TimeSpan.Zero;
        var slow = 0;

        for (var i = 0; i < 1500; i++)
        {
            // A third of the answers outlast the delay: unbudgeted, a third of the calls would be hedged.
            var latency = TimeSpan.FromMilliseconds(random.NextDouble() < 0.33 ? random.Next(11, 80) : random.Next(1, 10));
            var call = invoker.SendAsync(Get(), CancellationToken.None);
            calls.Add(clock);
            var primary = await transport.NextAsync();
            await UntilAsync(() => _time.ActiveTimers == 1, "the hedge delay is scheduled");
            RaceAttempt? hedge = null;
            var waited = TimeSpan.Zero;
            if (latency > delay)
                slow++;
            // Refused, a call asks again a quarter delay later while its first attempt runs: step from ask to ask.
            var step = delay;
            while (hedge is null && waited + step <= latency)
            {
                var decided = handler.Counters.Hedged + handler.Counters.DeniedByBudget;
                Advance(step);
                waited += step;
                await UntilAsync(() => handler.Counters.Hedged + handler.Counters.DeniedByBudget > decided, "the hedge is sent or refused");
                if (handler.Counters.Hedged > hedges.Count)
                {
                    hedges.Add(clock);
                    hedge = await transport.NextAsync();
                }
                else
                {
                    await UntilAsync(() => _time.ActiveTimers == 1, "the next ask is scheduled");
                    // The quarter delay in whole milliseconds: Task.Delay's timer rounds a fractional wait up.
                    step = TimeSpan.FromMilliseconds(Math.Ceiling((delay / 4).TotalMilliseconds));
                }
            }
            Advance(latency - waited);
            if (hedge is not null && random.Next(2) == 0)
                hedge.Respond();
            else
                primary.Respond();
            (await call).Dispose();
            Advance(TimeSpan.FromMilliseconds(random.Next(0, 4)));
        }

        hedges.Count.ShouldBeGreaterThan(0, "the budget pays for some hedges");
        (slow - hedges.Count).ShouldBeGreaterThan(slow / 2, "without the budget, every slow call would have been hedged");
        foreach (var at in hedges)
        {
            // The budget counts whole tenths of its window: at least the last 0.9 windows of hedges, at most one window of calls.
            var recentHedges = hedges.Count(h => h > at - (window * 0.85) && h <= at);
            var recentCalls = calls.Count(c => c > at - window && c <= at);
            recentHedges.ShouldBeLessThanOrEqualTo((int)Math.Floor(Ratio * recentCalls + 1e-9), $"hedges at {at.TotalMilliseconds} ms");
        }
        ((double)hedges.Count / calls.Count).ShouldBeLessThanOrEqualTo(Ratio * 1.1);

        void Advance(TimeSpan by)
        {
            _time.Advance(by);
            clock += by;
        }
    }

    [Fact]
    public async Task SendAsync_BudgetRefusesAtTheDelay_AsksAgainAQuarterDelayLater()
    {
        var transport = new RaceTransport();
        var handler = Hedging(o => o.BudgetRatio = 0.5);
        using var invoker = Chain(transport, handler);

        var slow = invoker.SendAsync(Get(), CancellationToken.None);
        var primary = await transport.NextAsync();
        await UntilAsync(() => _time.ActiveTimers == 1, "the hedge delay is scheduled");
        _time.Advance(Delay);
        await UntilAsync(() => handler.Counters.DeniedByBudget == 1, "one call earns half a hedge: refused");
        await UntilAsync(() => _time.ActiveTimers == 1, "the next ask is scheduled");
        var fast = invoker.SendAsync(Get(), CancellationToken.None);
        (await transport.NextAsync()).Respond();
        (await fast).Dispose();
        _time.Advance((Delay / 4) - TimeSpan.FromMilliseconds(1));
        transport.Arrived.ShouldBe(2);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var hedge = await transport.NextAsync();
        hedge.Request.RequestUri.ShouldBe(primary.Request.RequestUri);
        handler.Counters.Hedged.ShouldBe(1, "two calls earn one hedge, and the call still waiting gets it");
        hedge.Respond();
        (await slow).Dispose();
    }

    [Fact]
    public async Task SendAsync_TimerFiresEarly_WaitsOutTheRestOfTheDelay()
    {
        var early = new EarlyTimeProvider(_time);
        var transport = new RaceTransport();
        var handler = new HedgingHandler(new HedgingOptions { Enabled = true, Delay = Delay, Percentile = null, BudgetRatio = 1 }, early);
        using var invoker = Chain(transport, handler);

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        await transport.NextAsync();
        await UntilAsync(() => _time.ActiveTimers == 1, "the hedge delay is scheduled");
        var elapsed = TimeSpan.Zero;
        while (transport.Arrived == 1 && elapsed < Delay * 2)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            elapsed += TimeSpan.FromMilliseconds(1);
            await UntilAsync(() => _time.ActiveTimers == 1 || transport.Arrived == 2, "the handler waits again or hedges");
        }

        // Each re-wait is short by 10% again, so the hedge goes out at the delay or a moment after; never before.
        elapsed.ShouldBeInRange(Delay, Delay + TimeSpan.FromMilliseconds(2), "a timer that fires at 90% of its time must not send the hedge early");
        (await transport.NextAsync()).Respond();
        (await call).Dispose();
    }

    [Fact]
    public async Task SendAsync_ColdStart_DoesNotHedgeUntilTheBudgetHasEarnedOne()
    {
        var transport = new RaceTransport();
        var handler = Hedging(o => o.BudgetRatio = 0.05);
        using var invoker = Chain(transport, handler);

        for (var i = 0; i < 19; i++)
        {
            var call = invoker.SendAsync(Get(), CancellationToken.None);
            var primary = await transport.NextAsync();
            await UntilAsync(() => _time.ActiveTimers == 1, "the hedge delay is scheduled");
            _time.Advance(Delay);
            await UntilAsync(() => handler.Counters.DeniedByBudget == i + 1, "the hedge is denied");
            primary.Respond();
            (await call).Dispose();
        }
        var twentieth = invoker.SendAsync(Get(), CancellationToken.None);
        var (_, hedge) = await LaunchHedgeAsync(transport);
        hedge.Respond();
        (await twentieth).Dispose();

        handler.Counters.Hedged.ShouldBe(1, "5% of 20 calls is one hedge");
        transport.Arrived.ShouldBe(21);
    }

    [Fact]
    public async Task SendAsync_HedgeLaunched_LogsAtDebugWithTheUrlRedacted()
    {
        using var logs = new ListLoggerProvider();
        var transport = new RaceTransport();
        using var invoker = Chain(transport, Hedging(logger: logs.CreateLogger("hedging")));

        var call = invoker.SendAsync(Get("http://api.test/items?api_key=hunter2&page=2"), CancellationToken.None);
        var (_, hedge) = await LaunchHedgeAsync(transport);
        hedge.Respond();
        (await call).Dispose();

        logs.Lines.ShouldContain(l => l.StartsWith("Debug:501:", StringComparison.Ordinal) && l.Contains("GET") && l.Contains("page=2") && l.Contains("100 ms"));
        logs.Lines.ShouldAllBe(l => !l.Contains("hunter2"));
    }

    private HedgingHandler Hedging(Action<HedgingOptions>? configure = null, ILogger? logger = null)
    {
        // A budget of one hedge per call, so a single call can be hedged; the budget has its own tests.
        var options = new HedgingOptions { Enabled = true, Delay = Delay, Percentile = null, BudgetRatio = 1 };
        configure?.Invoke(options);
        return new HedgingHandler(options, _time, logger);
    }

    /// <summary>Waits for the first attempt, passes the hedge delay, and waits for the hedge.</summary>
    private async Task<(RaceAttempt Primary, RaceAttempt Hedge)> LaunchHedgeAsync(RaceTransport transport)
    {
        var primary = await transport.NextAsync();
        await UntilAsync(() => _time.ActiveTimers == 1, "the hedge delay is scheduled");
        _time.Advance(Delay);
        return (primary, await transport.NextAsync());
    }

    /// <summary>One call answered by its first attempt after <paramref name="latency"/> (shorter than any hedge delay in play).</summary>
    private async Task AnswerAfterAsync(HttpMessageInvoker invoker, RaceTransport transport, TimeSpan latency)
    {
        var call = invoker.SendAsync(Get(), CancellationToken.None);
        var primary = await transport.NextAsync();
        await UntilAsync(() => _time.ActiveTimers == 1, "the hedge delay is scheduled");
        _time.Advance(latency);
        primary.Respond();
        (await call).Dispose();
    }

    /// <summary>A clock whose timers fire at 90% of their time, like .NET's timers on a coarse kernel tick — when created and when changed.</summary>
    private sealed class EarlyTimeProvider(FakeTimeProvider inner) : TimeProvider
    {
        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            new EarlyTimer(inner.CreateTimer(callback, state, Early(dueTime), period));

        private static TimeSpan Early(TimeSpan dueTime) => dueTime == Timeout.InfiniteTimeSpan ? dueTime : dueTime * 0.9;

        private sealed class EarlyTimer(ITimer timer) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(Early(dueTime), period);

            public void Dispose() => timer.Dispose();

            public ValueTask DisposeAsync() => timer.DisposeAsync();
        }
    }

    private sealed class SyncStub : HttpMessageHandler
    {
        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) => new(HttpStatusCode.OK);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The synchronous path must stay synchronous.");
    }
}
