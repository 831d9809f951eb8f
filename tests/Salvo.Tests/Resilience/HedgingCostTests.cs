using System.Net;
using System.Net.Http.Headers;
using Salvo.Pipeline;
using Salvo.Resilience;
using Salvo.Testing;
using static Salvo.Tests.Resilience.ResilienceKit;

namespace Salvo.Tests.Resilience;

/// <summary>
/// What hedging costs before a hedge fires: nothing but the work of watching. The attempt comes from a pool, the copy of
/// the request is only taken apart (and built when the hedge is sent), an attempt that answers at once goes through no
/// frame and arms no timer — and none of that may change what a hedge, when it fires, is sent.
/// </summary>
public class HedgingCostTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(100);
    private static readonly Uri Uri = new("http://api.test/items");
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void SendAsync_AnswerAtOnce_ReturnsTheAttemptsOwnTaskAndArmsNoTimer()
    {
        var transport = new AtOnce();
        using var invoker = Chain(transport, Hedging(_time));

        var call = invoker.SendAsync(Salvo(), CancellationToken.None);

        call.ShouldBeSameAs(transport.Last, "an answer that is already there goes back as it is: no async frame of the hedging stage");
        _time.ActiveTimers.ShouldBe(0, "no hedge delay is armed for an attempt that has answered");
    }

    [Fact]
    public void SendAsync_AnswerAtOnce_AllocatesNoMoreThanPassingThrough()
    {
        var transport = new AtOnce();

        var extra = ExtraBytesPerCall(transport, answer: null, userAgent: "Salvo/1.0");

        extra.ShouldBeLessThanOrEqualTo(8, "no copy of the request, no source, no timer, no frame, no registration");
    }

    [Fact]
    public void SendAsync_PendingAnswerBeforeTheDelay_AllocatesOnlyTheHedgingStagesOneFrame()
    {
        var transport = new Later();

        var extra = ExtraBytesPerCall(transport, transport.Complete, userAgent: null);

        // One async state machine (about 200 B); the delay's timer, the wait for answer-or-delay and the source are reused.
        extra.ShouldBeLessThanOrEqualTo(256, "no timer, no linked source, no WhenAny: only the one frame");
    }

    [Fact]
    public void SendAsync_AttemptEnded_ItsSourceIsReusedUnlessItWasCancelled()
    {
        var transport = new AtOnce();
        using var invoker = Chain(transport, Hedging(TimeProvider.System), TimeoutHandler.Attempt(TimeSpan.FromHours(1)));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        _ = invoker.SendAsync(Salvo(), CancellationToken.None);
        var first = transport.Token;
        _ = invoker.SendAsync(Salvo(), CancellationToken.None);
        transport.Token.ShouldBe(first, "the source of an attempt that ended went back to the pool, its budget disarmed");
        transport.Token.IsCancellationRequested.ShouldBeFalse();
        _ = invoker.SendAsync(Salvo(), cancelled.Token);
        transport.Token.IsCancellationRequested.ShouldBeTrue("a call cancelled before it started starts its attempt cancelled");
        var spent = transport.Token;
        _ = invoker.SendAsync(Salvo(), CancellationToken.None);

        transport.Token.ShouldNotBe(spent, "a cancelled source is never reused");
        transport.Token.IsCancellationRequested.ShouldBeFalse();
    }

    [Fact]
    public async Task SendAsync_CallerCancelsBeforeThePendingAttemptIsLinked_TheAttemptIsCancelled()
    {
        using var caller = new CancellationTokenSource();
        // The caller gives up while the attempt is still on its way down, before the hedging stage links it to the call.
        var transport = new Pending(onSend: caller.Cancel);
        using var invoker = Chain(transport, Hedging(_time));

        var call = invoker.SendAsync(Salvo(), caller.Token);

        await Should.ThrowAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    public static TheoryData<int> HeaderCounts => new() { 0, 1, 3 };

    [Theory]
    [MemberData(nameof(HeaderCounts))]
    public async Task SendAsync_HandlerBelowRewritesTheRequest_TheHedgeIsSentTheOriginal(int headers)
    {
        var transport = new RaceTransport();
        var rewriter = new Rewriter();
        using var invoker = Chain(transport, Hedging(_time), rewriter);
        var settings = new SalvoRequestSettings { Hedge = true };
        var request = Salvo(settings);
        for (var i = 0; i < headers; i++)
            request.Headers.TryAddWithoutValidation($"X-Trace-{i}", i == 2 ? new[] { "a", "b" } : [$"t-{i}"]);
        var context = SalvoRequestContext.GetOrCreate(request);

        var call = invoker.SendAsync(request, CancellationToken.None);
        var primary = await transport.NextAsync();
        primary.Request.RequestUri!.Host.ShouldBe("elsewhere.test", "the handler below rewrote the first attempt's request");
        await UntilAsync(() => _time.ActiveTimers == 1, "the hedge delay is scheduled");
        _time.Advance(Delay);
        var hedge = await transport.NextAsync();
        hedge.Respond();
        (await call).Dispose();

        var copy = hedge.Request.ShouldBeOfType<SalvoRequestMessage>();
        copy.ShouldNotBeSameAs(request);
        copy.Context.ShouldBeSameAs(context, "the hedge counts against the call's budget and attempts");
        copy.Settings.ShouldBeSameAs(settings);
        copy.Version.ShouldBe(request.Version);
        // The rewriter below rewrote the copy too, on its way down: what it started from was the original.
        rewriter.Seen[copy].Uri.ShouldBe(Uri);
        rewriter.Seen[copy].Headers.ShouldBe(rewriter.Seen[request].Headers);
        rewriter.Seen[copy].Headers.Count.ShouldBe(headers);
        if (headers == 3)
            rewriter.Seen[copy].Headers.ShouldContain("X-Trace-2: a, b");
    }

    private static SalvoRequestMessage Salvo(SalvoRequestSettings? settings = null) => new(HttpMethod.Get, Uri) { Settings = settings };

    private static HedgingHandler Hedging(TimeProvider time, bool enabled = true) =>
        new(new HedgingOptions { Enabled = enabled, Delay = Delay, Percentile = null, BudgetRatio = 1 }, time);

    /// <summary>
    /// Bytes allocated per hedgeable call beyond what a call the handler only passes on allocates, each call's answer given
    /// by <paramref name="answer"/> (or already there); on this thread, with no synchronization context, so continuations
    /// run inline here as they do outside a test runner.
    /// </summary>
    private static double ExtraBytesPerCall(HttpMessageHandler transport, Action? answer, string? userAgent)
    {
        using var hedged = Chain(transport, Hedging(TimeProvider.System));
        using var passing = Chain(transport, Hedging(TimeProvider.System, enabled: false));
        var request = Salvo();
        if (userAgent is not null)
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return BytesPerCall(hedged, request, answer) - BytesPerCall(passing, request, answer);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private static double BytesPerCall(HttpMessageInvoker invoker, HttpRequestMessage request, Action? answer)
    {
        const int Calls = 2_000;
        for (var i = 0; i < 200; i++)
            Call();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
            Call();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Calls;

        void Call()
        {
            var call = invoker.SendAsync(request, CancellationToken.None);
            answer?.Invoke();
            call.IsCompletedSuccessfully.ShouldBeTrue();
        }
    }

    /// <summary>Answers every request at once, with one response it reuses; remembers the last task and token.</summary>
    private sealed class AtOnce : HttpMessageHandler
    {
        private readonly Task<HttpResponseMessage> _answer = Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

        public Task<HttpResponseMessage>? Last { get; private set; }

        public CancellationToken Token { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Token = cancellationToken;
            return Last = _answer;
        }
    }

    /// <summary>Answers each request when told to (<see cref="Complete"/>), on the thread that tells it.</summary>
    private sealed class Later : HttpMessageHandler
    {
        private readonly HttpResponseMessage _answer = new(HttpStatusCode.OK);
        private TaskCompletionSource<HttpResponseMessage>? _pending;

        public void Complete() => _pending!.SetResult(_answer);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            (_pending = new TaskCompletionSource<HttpResponseMessage>()).Task;
    }

    /// <summary>Runs <paramref name="onSend"/>, then answers only by being cancelled.</summary>
    private sealed class Pending(Action onSend) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith<HttpResponseMessage>(
                static _ => throw new InvalidOperationException("unreachable"), cancellationToken, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Writes to every request it passes on, as auth and a redirect do: records what it was given, then rewrites the URL and headers.</summary>
    private sealed class Rewriter : DelegatingHandler
    {
        public System.Collections.Concurrent.ConcurrentDictionary<HttpRequestMessage, (Uri Uri, List<string> Headers)> Seen { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen[request] = (request.RequestUri!, [.. request.Headers.NonValidated.Select(h => $"{h.Key}: {string.Join(", ", h.Value)}")]);
            request.RequestUri = new Uri("http://elsewhere.test/items");
            request.Headers.Clear();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "secret");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
