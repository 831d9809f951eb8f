using System.Net;
using Polly.CircuitBreaker;
using Salvo.Auth;
using Salvo.ConcurrencyLimiting;
using Salvo.Pipeline;
using Salvo.RateLimiting;
using Salvo.Resilience;
using Salvo.Testing;
using Salvo.Tests.Support;
using static Salvo.Tests.Resilience.ResilienceKit;

namespace Salvo.Tests.Pipeline;

/// <summary>
/// The breaker, auth, the rate limiter, the concurrency limiter and the attempt budget run in one frame when the builder
/// composed them next to each other (<see cref="FusedAttempt"/>). Each behaviour is run twice — composed, and with a pass-through handler linked in
/// between, so each handler does its own work — and both runs must come out the same.
/// </summary>
public class FusedAttemptTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void CreateHandlers_DefaultPipeline_TheBreakerHeadsTheRunDownToTheAttemptBudget()
    {
        var handlers = SalvoPipelineBuilder.CreateDefault(new SalvoClientOptions()).CreateHandlers();

        handlers.OfType<CircuitBreakerHandler>().Single().Fused.ShouldNotBeNull();
        handlers.OfType<RateLimitHandler>().Single().Fused.ShouldBeNull("the run has one head");
        handlers.OfType<RetryHandler>().Single().Fused.ShouldBeSameAs(handlers.OfType<CircuitBreakerHandler>().Single().Fused);
    }

    [Fact]
    public void CreateHandlers_BreakerOff_TheRateLimiterHeadsTheRun()
    {
        var options = new SalvoClientOptions();
        options.CircuitBreaker.Enabled = false;

        SalvoPipelineBuilder.CreateDefault(options).CreateHandlers().OfType<RateLimitHandler>().Single().Fused.ShouldNotBeNull();
    }

    [Fact]
    public void CreateHandlers_EveryStage_TheBreakerHeadsTheRunThroughAuthAndBothLimiters()
    {
        using var auth = SalvoAuth.Bearer("t");
        var options = new SalvoClientOptions { Auth = auth };
        options.ConcurrencyLimit.Mode = ConcurrencyLimitMode.Adaptive;

        var handlers = SalvoPipelineBuilder.CreateDefault(options).CreateHandlers();

        var fused = handlers.OfType<CircuitBreakerHandler>().Single().Fused;
        fused.ShouldNotBeNull();
        handlers.OfType<AuthHandler>().Single().Fused.ShouldBeNull("the run has one head");
        handlers.OfType<RateLimitHandler>().Single().Fused.ShouldBeNull();
        handlers.OfType<ConcurrencyLimitHandler>().Single().Fused.ShouldBeNull();
        handlers.OfType<RetryHandler>().Single().Fused.ShouldBeSameAs(fused);
    }

    [Fact]
    public void CreateHandlers_OnlyAConcurrencyLimiter_ItHeadsTheRun()
    {
        var options = new SalvoClientOptions();
        options.CircuitBreaker.Enabled = false;
        options.RateLimit.Enabled = false;
        options.ConcurrencyLimit.Mode = ConcurrencyLimitMode.Fixed;

        SalvoPipelineBuilder.CreateDefault(options).CreateHandlers().OfType<ConcurrencyLimitHandler>().Single().Fused.ShouldNotBeNull();
    }

    [Fact]
    public void CreateHandlers_AConcurrencyLimiterOnYourOwnRateLimiter_NothingComposed()
    {
        using var own = new System.Threading.RateLimiting.ConcurrencyLimiter(new() { PermitLimit = 2, QueueLimit = 0 });
        var options = new SalvoClientOptions();
        options.ConcurrencyLimit.Mode = ConcurrencyLimitMode.Fixed;
        options.ConcurrencyLimit.Limiter = own;

        var handlers = SalvoPipelineBuilder.CreateDefault(options).CreateHandlers();

        handlers.OfType<CircuitBreakerHandler>().Single().Fused.ShouldBeNull("a user's limiter is not one this path can enter, and the stages above it are not next to the attempt budget");
        handlers.OfType<ConcurrencyLimitHandler>().Single().Fused.ShouldBeNull();
    }

    [Fact]
    public void CreateHandlers_AHandlerOfYoursBetweenBreakerAndLimiter_OnlyTheRunBelowItComposed()
    {
        var handlers = SalvoPipelineBuilder.CreateDefault(new SalvoClientOptions())
            .Add(PipelineStage.Auth, () => new PassThrough())
            .CreateHandlers();

        handlers.OfType<CircuitBreakerHandler>().Single().Fused.ShouldBeNull();
        handlers.OfType<RateLimitHandler>().Single().Fused.ShouldNotBeNull();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_Answered_CountsOneAttemptLearnsTheHeadersAndFreesThePermit(bool composed)
    {
        var rig = new Rig(_time, composed, (_, _) =>
        {
            var response = Status(200);
            response.Headers.Add("X-RateLimit-Limit", "10");
            response.Headers.Add("X-RateLimit-Remaining", "7");
            response.Headers.Add("X-RateLimit-Reset", "30");
            return Task.FromResult(response);
        });
        var request = Get();

        using var response = await rig.Invoker.SendAsync(request, CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        rig.ComposedPathTaken.ShouldBe(composed);
        SalvoRequestContext.Find(request)!.Attempts.ShouldBe(1);
        var partition = rig.Limiter.Snapshot().Single();
        partition.LimitsKnown.ShouldBeTrue();
        partition.InFlight.ShouldBe(0);
        partition.Remaining.ShouldBe(7);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_NoAttemptBudget_ThePermitIsStillFreedAndTheNextCallAdmitted(bool composed)
    {
        var rig = new Rig(_time, composed, (_, _) => Task.FromResult(Status(200)), attemptTimeout: Timeout.InfiniteTimeSpan);

        for (var i = 0; i < 3; i++)
        {
            using var response = await rig.Invoker.SendAsync(Get(), CancellationToken.None);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            rig.Limiter.Snapshot().Single().InFlight.ShouldBe(0, "the learning probe was answered, so the next call goes at once");
        }

        rig.Sent.ShouldBe(3);
        rig.ComposedPathTaken.ShouldBe(composed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_AttemptHangs_AttemptTimeoutFreesThePermitAndCountsAgainstTheHost(bool composed)
    {
        var rig = new Rig(_time, composed, async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Status(200);
        }, minimumThroughput: 2);

        for (var i = 1; i <= 2; i++)
        {
            var call = rig.Invoker.SendAsync(Get(), CancellationToken.None);
            await UntilAsync(() => rig.Sent == i, $"attempt {i} is in flight");
            _time.Advance(TimeSpan.FromSeconds(2.001));
            (await Should.ThrowAsync<SalvoTimeoutException>(() => call)).Budget.ShouldBe(TimeoutBudget.Attempt);
        }

        rig.ComposedPathTaken.ShouldBe(composed);
        rig.Limiter.Snapshot().Single().InFlight.ShouldBe(0);
        rig.Breaker.GetState(new Uri("http://api.test/")).ShouldBe(CircuitState.Open, "two attempt timeouts are two failures");
        await Should.ThrowAsync<SalvoCircuitOpenException>(() => rig.Invoker.SendAsync(Get(), CancellationToken.None));
        rig.Sent.ShouldBe(2);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_NoRoomInThrowMode_ThrottledUnsentAndTheCircuitUntouched(bool composed)
    {
        var rig = new Rig(_time, composed, (_, _) => Task.FromResult(Status(200)), limits: "1/1m", mode: RateLimitMode.Throw, minimumThroughput: 2);

        using (await rig.Invoker.SendAsync(Get(), CancellationToken.None))
        {
        }
        for (var i = 0; i < 3; i++)
            (await Should.ThrowAsync<SalvoThrottledException>(() => rig.Invoker.SendAsync(Get(), CancellationToken.None))).Reason.ShouldBe(ThrottleReason.RateLimit);

        rig.Sent.ShouldBe(1);
        rig.Breaker.GetState(new Uri("http://api.test/")).ShouldBe(CircuitState.Closed, "Salvo's own throttling says nothing about the host");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_NoRoomInWaitMode_WaitsForTheWindowThenSends(bool composed)
    {
        var rig = new Rig(_time, composed, (_, _) => Task.FromResult(Status(200)), limits: "1/1s", mode: RateLimitMode.Wait);

        using (await rig.Invoker.SendAsync(Get(), CancellationToken.None))
        {
        }
        var request = Get();
        var second = rig.Invoker.SendAsync(request, CancellationToken.None);
        await UntilAsync(() => rig.Limiter.Snapshot().Single().Waiting == 1, "the second call queues");
        rig.Sent.ShouldBe(1);
        _time.Advance(TimeSpan.FromSeconds(1.001));

        using var response = await second;
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        rig.Sent.ShouldBe(2);
        SalvoRequestContext.Find(request)!.Attempts.ShouldBe(1, "waiting for the limiter is not an attempt");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_HostFailsThenRecovers_OpensThenTheHalfOpenTrialCloses(bool composed)
    {
        var failing = true;
        var rig = new Rig(_time, composed, (_, _) => Task.FromResult(Status(failing ? 503 : 200)), minimumThroughput: 2);
        var host = new Uri("http://api.test/");

        for (var i = 0; i < 2; i++)
        {
            using var failed = await rig.Invoker.SendAsync(Get(), CancellationToken.None);
            failed.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        }
        rig.Breaker.GetState(host).ShouldBe(CircuitState.Open);
        failing = false;
        _time.Advance(new CircuitBreakerOptions().BreakDuration + TimeSpan.FromMilliseconds(1));

        using var trial = await rig.Invoker.SendAsync(Get(), CancellationToken.None);
        trial.StatusCode.ShouldBe(HttpStatusCode.OK);
        rig.Breaker.GetState(host).ShouldBe(CircuitState.Closed);
        rig.Sent.ShouldBe(3);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_FirstAttemptTransient_RetriedAfterTheBackoff(bool composed)
    {
        var answers = new Queue<int>([503, 200]);
        var rig = new Rig(_time, composed, (_, _) => Task.FromResult(Status(answers.Dequeue())), retry: true);
        var request = Get();

        var call = rig.Invoker.SendAsync(request, CancellationToken.None);
        await AdvanceUntilAsync(() => call.IsCompleted);

        using var response = await call;
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        rig.Sent.ShouldBe(2);
        rig.FirstAttemptComposed.ShouldBe(composed);
        SalvoRequestContext.Find(request)!.Attempts.ShouldBe(2);
        rig.Retry!.Counters.Retries.ShouldBe(1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_RetriedFailuresOpenTheCircuit_TheNextRetryIsRefusedUnsent(bool composed)
    {
        var rig = new Rig(_time, composed, (_, _) => Task.FromResult(Status(503)), minimumThroughput: 2, retry: true);

        var call = rig.Invoker.SendAsync(Get(), CancellationToken.None);
        await AdvanceUntilAsync(() => call.IsCompleted);

        await Should.ThrowAsync<SalvoCircuitOpenException>(() => call);
        rig.Sent.ShouldBe(2, "both 503s reached the breaker, which opened on the second");
        rig.FirstAttemptComposed.ShouldBe(composed);
        rig.Retry!.Counters.Retries.ShouldBe(2);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_FirstAttemptNotTransient_ReturnedWithoutRetry(bool composed)
    {
        var rig = new Rig(_time, composed, (_, _) => Task.FromResult(Status(404)), retry: true);

        using var response = await rig.Invoker.SendAsync(Get(), CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        rig.Sent.ShouldBe(1);
        rig.FirstAttemptComposed.ShouldBe(composed);
        rig.Retry!.Counters.Retries.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_RequestWouldBeHedged_RetryAndHedgingDoTheirOwnWork()
    {
        var rig = new Rig(_time, composed: true, (_, _) => Task.FromResult(Status(200)), retry: true, hedge: true);

        using var response = await rig.Invoker.SendAsync(Get(), CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        rig.FirstAttemptComposed.ShouldBeFalse("the hedging handler races its attempts itself");
    }

    [Fact]
    public async Task SendAsync_NoCallBudget_EachHandlerDoesItsOwnWork()
    {
        // Without a total budget above, the attempt budget needs a source of its own: the composed path steps aside.
        var handlers = new SalvoPipelineBuilder()
            .Add(PipelineStage.CircuitBreaker, () => new CircuitBreakerHandler(new CircuitBreakerOptions(), _time))
            .Add(PipelineStage.AttemptTimeout, () => TimeoutHandler.Attempt(TimeSpan.FromSeconds(2), _time))
            .CreateHandlers();
        var transport = new Transport((_, _) => Task.FromResult(Status(200)));
        using var invoker = Chain(transport, [.. handlers]);

        using var response = await invoker.SendAsync(Get(), CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        transport.ComposedPathTaken.ShouldBeFalse();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_WithACredential_TheTransportSeesItAndTheRequestIsLeftWithout(bool composed)
    {
        using var auth = SalvoAuth.Bearer("secret-token");
        string? seen = null;
        var rig = new Rig(_time, composed, (request, _) =>
        {
            seen = request.Headers.Authorization?.ToString();
            return Task.FromResult(Status(200));
        }, auth: auth);
        var request = Get();

        using var response = await rig.Invoker.SendAsync(request, CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        rig.ComposedPathTaken.ShouldBe(composed);
        seen.ShouldBe("Bearer secret-token");
        request.Headers.Authorization.ShouldBeNull("a retry of this request must get the token current then");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_UnauthorizedThenRefreshed_ReplayedOnceAndTheBreakerSeesOneSuccess(bool composed)
    {
        var login = new Tests.Auth.LoginScript(_time);
        using var auth = login.Create();
        var tokens = new List<string?>();
        var rig = new Rig(_time, composed, (request, _) =>
        {
            var token = request.Headers.Authorization?.Parameter;
            lock (tokens)
                tokens.Add(token);
            return Task.FromResult(Status(token == "token-1" ? 401 : 200));
        }, auth: auth, minimumThroughput: 2);
        _ = await auth.GetTokenAsync(); // token-1 is at hand before the call, so the first attempt can take the composed path
        var request = Get();

        using var response = await rig.Invoker.SendAsync(request, CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        tokens.ShouldBe(["token-1", "token-2"]);
        rig.FirstAttemptComposed.ShouldBe(composed);
        SalvoRequestContext.Find(request)!.Attempts.ShouldBe(2);
        auth.Counters.Replayed401.ShouldBe(1);
        rig.Limiter.Snapshot().Single().InFlight.ShouldBe(0);
        rig.Breaker.GetState(new Uri("http://api.test/")).ShouldBe(CircuitState.Closed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_RedirectToAnotherOrigin_FollowedWithoutTheCredential(bool composed)
    {
        using var auth = SalvoAuth.Bearer("secret-token");
        var seen = new List<(string Host, string? Auth)>();
        var rig = new Rig(_time, composed, (request, _) =>
        {
            lock (seen)
                seen.Add((request.RequestUri!.Host, request.Headers.Authorization?.ToString()));
            if (request.RequestUri.Host == "api.test")
            {
                var moved = Status(302);
                moved.Headers.Location = new Uri("http://elsewhere.test/x");
                return Task.FromResult(moved);
            }
            return Task.FromResult(Status(200));
        }, auth: auth, maxRedirects: 3);

        using var response = await rig.Invoker.SendAsync(Get(), CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        seen.ShouldBe([("api.test", "Bearer secret-token"), ("elsewhere.test", null)]);
        rig.FirstAttemptComposed.ShouldBe(composed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_TokenDueForRefresh_TheHandlersRefreshAndSend(bool composed)
    {
        var login = new Tests.Auth.LoginScript(_time) { Lifetime = TimeSpan.FromMinutes(10) };
        using var auth = login.Create();
        string? seen = null;
        var rig = new Rig(_time, composed, (request, _) =>
        {
            seen = request.Headers.Authorization?.Parameter;
            return Task.FromResult(Status(200));
        }, auth: auth);
        _ = await auth.GetTokenAsync();
        _time.Advance(TimeSpan.FromMinutes(11)); // expired: the call must wait for a new one

        using var response = await rig.Invoker.SendAsync(Get(), CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        seen.ShouldBe("token-2");
        rig.ComposedPathTaken.ShouldBeFalse("a token that is not at hand is the auth handler's to wait for");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_ConcurrencyLimitFull_TheNextCallWaitsForTheSlotThenSends(bool composed)
    {
        var release = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var rig = new Rig(_time, composed, (_, _) => Interlocked.Increment(ref calls) == 1 ? release.Task : Task.FromResult(Status(200)), limits: "1000/1s", learn: false, concurrencyLimit: 1);

        var first = rig.Invoker.SendAsync(Get(), CancellationToken.None);
        await UntilAsync(() => rig.Sent == 1, "the first call holds the only slot");
        var second = rig.Invoker.SendAsync(Get(), CancellationToken.None);
        await UntilAsync(() => rig.Gate.Queued == 1, "the second call waits in line");
        rig.Sent.ShouldBe(1);
        rig.Gate.InFlight.ShouldBe(1);
        release.SetResult(Status(200));

        using (await first)
        using (var response = await second)
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        rig.Sent.ShouldBe(2);
        rig.Gate.InFlight.ShouldBe(0);
        rig.Gate.Granted.ShouldBe(2);
        rig.Limiter.Snapshot().Single().InFlight.ShouldBe(0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_ConcurrencyLineFull_ThrottledUnsentAndTheRateLimitPermitFreed(bool composed)
    {
        var release = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var rig = new Rig(_time, composed, (_, _) => release.Task, limits: "1000/1s", learn: false, concurrencyLimit: 1, maxQueue: 0);

        var first = rig.Invoker.SendAsync(Get(), CancellationToken.None);
        await UntilAsync(() => rig.Sent == 1, "the first call holds the only slot");

        (await Should.ThrowAsync<SalvoThrottledException>(() => rig.Invoker.SendAsync(Get(), CancellationToken.None))).Reason.ShouldBe(ThrottleReason.ConcurrencyLimit);
        rig.Sent.ShouldBe(1);
        rig.Limiter.Snapshot().Single().InFlight.ShouldBe(1, "only the first call's permit is still held");
        release.SetResult(Status(200));
        using (await first)
        {
        }
        rig.Gate.InFlight.ShouldBe(0);
        rig.Limiter.Snapshot().Single().InFlight.ShouldBe(0);
        rig.Breaker.GetState(new Uri("http://api.test/")).ShouldBe(CircuitState.Closed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_AttemptTimesOutInsideTheConcurrencyLimit_AdaptiveLimitSeesTheDropAndTheSlotIsFreed(bool composed)
    {
        var rig = new Rig(_time, composed, async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Status(200);
        }, concurrencyLimit: 40, adaptive: true);

        var call = rig.Invoker.SendAsync(Get(), CancellationToken.None);
        await UntilAsync(() => rig.Sent == 1, "the attempt is in flight");
        var before = rig.Gate.Adaptive!.Estimate;
        _time.Advance(TimeSpan.FromSeconds(2.001));

        (await Should.ThrowAsync<SalvoTimeoutException>(() => call)).Budget.ShouldBe(TimeoutBudget.Attempt);
        rig.ComposedPathTaken.ShouldBe(composed);
        rig.Gate.InFlight.ShouldBe(0);
        rig.Gate.Adaptive!.Estimate.ShouldBeLessThan(before, "a timeout is overload");
    }

    /// <summary>Moves the fake clock on in small steps (no waiting for real time) until <paramref name="done"/>, for retry backoffs.</summary>
    private async Task AdvanceUntilAsync(Func<bool> done)
    {
        for (var i = 0; i < 2_000 && !done(); i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Yield();
        }
        done().ShouldBeTrue("the call finished within 20 s of fake time");
    }

    /// <summary>Total budget, breaker, limiter and attempt budget around a transport; composed, or with a pass-through in between.</summary>
    private sealed class Rig
    {
        private readonly Transport _transport;

        public Rig(
            FakeTimeProvider time, bool composed, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond,
            string? limits = null, RateLimitMode mode = RateLimitMode.Wait, int minimumThroughput = 20, bool retry = false, bool hedge = false,
            TimeSpan? attemptTimeout = null, SalvoAuth? auth = null, int maxRedirects = 0, int? concurrencyLimit = null, int? maxQueue = null,
            bool adaptive = false, bool learn = true)
        {
            var breakerOptions = new CircuitBreakerOptions { MinimumThroughput = minimumThroughput };
            var rateOptions = new RateLimitOptions { Limits = limits, Mode = mode, LearnFromHeaders = learn };
            var retryOptions = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(100), Randomizer = () => 0 };
            var hedgingOptions = new HedgingOptions { Enabled = hedge };
            var builder = new SalvoPipelineBuilder()
                .Add(PipelineStage.TotalTimeout, () => TimeoutHandler.Total(TimeSpan.FromSeconds(30), time));
            if (retry)
            {
                builder.Add(PipelineStage.Retry, () => new RetryHandler(retryOptions, time))
                    .Add(PipelineStage.Hedging, () => new HedgingHandler(hedgingOptions, time));
            }
            builder.Add(PipelineStage.CircuitBreaker, () => new CircuitBreakerHandler(breakerOptions, time));
            if (auth is not null)
                builder.Add(PipelineStage.Auth, () => new AuthHandler(auth, maxRedirects));
            builder.Add(PipelineStage.RateLimiter, () => new RateLimitHandler(rateOptions, time));
            if (concurrencyLimit is { } limit)
            {
                var concurrencyOptions = adaptive
                    ? new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Adaptive, InitialLimit = limit, MinLimit = 1, MaxLimit = limit * 2, MaxQueue = maxQueue }
                    : new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Fixed, Limit = limit, MaxQueue = maxQueue };
                builder.Add(PipelineStage.ConcurrencyLimiter, () => new ConcurrencyLimitHandler(concurrencyOptions, time));
            }
            var handlers = builder
                .Add(PipelineStage.AttemptTimeout, () => TimeoutHandler.Attempt(attemptTimeout ?? TimeSpan.FromSeconds(2), time))
                .CreateHandlers()
                .ToList();
            Breaker = handlers.OfType<CircuitBreakerHandler>().Single();
            Breaker.Fused.ShouldNotBeNull();
            Limiter = handlers.OfType<RateLimitHandler>().Single().Limiter!;
            Retry = handlers.OfType<RetryHandler>().SingleOrDefault();
            Concurrency = handlers.OfType<ConcurrencyLimitHandler>().SingleOrDefault();
            if (!composed)
                handlers.Insert(handlers.Count - 1, new PassThrough());
            _transport = new Transport(respond);
            Invoker = Chain(_transport, [.. handlers]);
        }

        public HttpMessageInvoker Invoker { get; }

        public CircuitBreakerHandler Breaker { get; }

        public SalvoRateLimiter Limiter { get; }

        public RetryHandler? Retry { get; }

        public ConcurrencyLimitHandler? Concurrency { get; }

        /// <summary>The concurrency limiter's one gate (one host).</summary>
        public ConcurrencyGate Gate => Concurrency!.Partitions!.Gates.Single();

        public bool FirstAttemptComposed => _transport.FirstComposed == true;

        public int Sent => _transport.Sent;

        public bool ComposedPathTaken => _transport.ComposedPathTaken;
    }

    /// <summary>Answers with a delegate; records how many requests arrived and whether they came down the composed path.</summary>
    private sealed class Transport(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
    {
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        public bool ComposedPathTaken { get; private set; }

        /// <summary>Whether the first request came down the composed path with the retry layer's first attempt in it.</summary>
        public bool? FirstComposed { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            // The synchronous part of the stack shows which frames called the transport: the composed path's, or each
            // handler's own (the breaker's, the limiter's and the attempt budget's).
            var stack = Environment.StackTrace;
            string[] ownFrames =
            [
                "CircuitBreakerHandler.SendClosedAsync", "AuthHandler.SendCoreAsync", "RateLimitHandler.SendAdmittedAsync",
                "ConcurrencyLimitHandler.SendThroughGateAsync", "TimeoutHandler.SendArmedAsync", "TimeoutHandler.SendWithinAsync",
            ];
            ComposedPathTaken = stack.Contains("Salvo.Pipeline.FusedAttempt.", StringComparison.Ordinal)
                && !ownFrames.Any(frame => stack.Contains(frame, StringComparison.Ordinal));
            FirstComposed ??= ComposedPathTaken && !stack.Contains("RetryHandler.SendWithRetriesAsync", StringComparison.Ordinal)
                && !stack.Contains("HedgingHandler.HedgeAsync", StringComparison.Ordinal);
            return respond(request, cancellationToken);
        }
    }

    private sealed class PassThrough : DelegatingHandler;
}
