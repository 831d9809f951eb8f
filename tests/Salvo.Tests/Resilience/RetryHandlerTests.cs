using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Salvo.Pipeline;
using Salvo.Resilience;
using Salvo.Testing;
using Salvo.Tests.Support;
using static Salvo.Tests.Resilience.ResilienceKit;

namespace Salvo.Tests.Resilience;

public class RetryHandlerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<HttpResponseMessage> _produced = [];

    [Fact]
    public async Task SendAsync_503ThenOk_RetriesAfterTheJitteredWait()
    {
        var stub = Script(503, 200);
        using var invoker = Chain(stub, Retry(o => o.BaseDelay = TimeSpan.FromMilliseconds(200)));

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        await UntilAsync(() => _time.ActiveTimers == 1, "the wait before the retry is scheduled");
        _time.Advance(TimeSpan.FromMilliseconds(199));
        call.IsCompleted.ShouldBeFalse("the wait is base delay × (1 + 2 × random) = 200 ms with random 0");
        stub.Requests.Count.ShouldBe(1);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        using var response = await call;
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        stub.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_AlwaysTransient_StopsAfterMaxRetriesWithTheLastResponse()
    {
        var stub = Script(503, 502, 504, 500);
        var handler = Retry(o => o.MaxRetries = 2);
        using var invoker = Chain(stub, handler);

        using var response = await invoker.SendAsync(Get(), CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.GatewayTimeout);
        stub.Requests.Count.ShouldBe(3);
        handler.Counters.Retries.ShouldBe(2);
        handler.Counters.GaveUpAfterMaxRetries.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_Retried_DisposesEveryDiscardedResponseButNotTheReturnedOne()
    {
        using var invoker = Chain(Script(503, 429, 200), Retry());

        using var response = await invoker.SendAsync(Get(), CancellationToken.None);

        _produced.Count.ShouldBe(3);
        _produced.Take(2).ShouldAllBe(r => ((TrackedContent)r.Content).Disposed);
        ((TrackedContent)response.Content).Disposed.ShouldBeFalse();
    }

    [Fact]
    public async Task SendAsync_RetryAfterSeconds_WaitsExactlyThatLong()
    {
        var stub = Script(Throttled(r => r.Delta = TimeSpan.FromSeconds(3)), 200);
        using var invoker = Chain(stub, Retry(o => o.BaseDelay = TimeSpan.FromMilliseconds(100)));

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        await UntilAsync(() => _time.ActiveTimers == 1, "the wait is scheduled");
        _time.Advance(TimeSpan.FromMilliseconds(2999));
        call.IsCompleted.ShouldBeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(1));

        (await call).StatusCode.ShouldBe(HttpStatusCode.OK);
        stub.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_RetryAfterDate_WaitsUntilThatDate()
    {
        var stub = Script(Throttled(r => r.Date = _time.GetUtcNow().AddSeconds(5)), 200);
        using var invoker = Chain(stub, Retry());

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        await UntilAsync(() => _time.ActiveTimers == 1, "the wait is scheduled");
        _time.Advance(TimeSpan.FromMilliseconds(4999));
        call.IsCompleted.ShouldBeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(1));

        (await call).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SendAsync_RetryAfterDateInThePast_RetriesAtOnce()
    {
        var stub = Script(Throttled(r => r.Date = _time.GetUtcNow().AddMinutes(-1)), 200);
        using var invoker = Chain(stub, Retry(o => o.BaseDelay = TimeSpan.FromSeconds(1)));

        var call = invoker.SendAsync(Get(), CancellationToken.None);

        call.IsCompleted.ShouldBeTrue("a date in the past means now, not the backoff");
        (await call).StatusCode.ShouldBe(HttpStatusCode.OK);
        stub.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_RetryAfterIgnored_UsesTheBackoff()
    {
        var stub = Script(Throttled(r => r.Delta = TimeSpan.FromSeconds(20)), 200);
        using var invoker = Chain(stub, Retry(o => { o.UseRetryAfter = false; o.BaseDelay = TimeSpan.FromMilliseconds(50); }));

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        await UntilAsync(() => _time.ActiveTimers == 1, "the wait is scheduled");
        _time.Advance(TimeSpan.FromMilliseconds(50));

        (await call).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SendAsync_RetryAfterLongerThanMaxDelay_ReturnsTheResponseAtOnce()
    {
        var stub = Script(Throttled(r => r.Delta = TimeSpan.FromSeconds(60)), 200);
        using var invoker = Chain(stub, Retry(o => o.MaxDelay = TimeSpan.FromSeconds(10)));

        var call = invoker.SendAsync(Get(), CancellationToken.None);

        call.IsCompleted.ShouldBeTrue();
        using var response = await call;
        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(60));
        stub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_RetryAfterBeyondTheBudget_FailsAtOnceWithTheServersAnswer()
    {
        var stub = Script(Throttled(r => r.Delta = TimeSpan.FromSeconds(60)), 200);
        var retry = Retry(o => o.MaxDelay = TimeSpan.FromMinutes(2));
        using var invoker = Chain(stub, TimeoutHandler.Total(TimeSpan.FromSeconds(10), _time), retry);

        var call = invoker.SendAsync(Get(), CancellationToken.None);

        call.IsCompleted.ShouldBeTrue("no wait was started: the clock never moved and the call is over");
        using var response = await call;
        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        SalvoErrors.RetryAfter(response, _time).ShouldBe(TimeSpan.FromSeconds(60));
        stub.Requests.Count.ShouldBe(1);
        retry.Counters.GaveUpOverBudget.ShouldBe(1);
        retry.Counters.Retries.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_BackoffBeyondTheBudget_FailsAtOnce()
    {
        var stub = Script(503, 200);
        var retry = Retry(o => o.BaseDelay = TimeSpan.FromSeconds(2));
        using var invoker = Chain(stub, TimeoutHandler.Total(TimeSpan.FromSeconds(1), _time), retry);

        var call = invoker.SendAsync(Get(), CancellationToken.None);

        call.IsCompleted.ShouldBeTrue();
        (await call).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        retry.Counters.GaveUpOverBudget.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_RetryAfterWithinTheBudget_Waits()
    {
        var stub = Script(Throttled(r => r.Delta = TimeSpan.FromSeconds(3)), 200);
        using var invoker = Chain(stub, TimeoutHandler.Total(TimeSpan.FromSeconds(10), _time), Retry());

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        await UntilAsync(() => _time.ActiveTimers == 2, "the wait is scheduled beside the budget's timer");
        _time.Advance(TimeSpan.FromSeconds(3));

        (await call).StatusCode.ShouldBe(HttpStatusCode.OK);
        stub.Requests.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("GET", 2)]
    [InlineData("HEAD", 2)]
    [InlineData("OPTIONS", 2)]
    [InlineData("PUT", 2)]
    [InlineData("DELETE", 2)]
    [InlineData("POST", 1)]
    [InlineData("PATCH", 1)]
    public async Task SendAsync_ByMethod_RetriesOnlyIdempotentMethods(string method, int expectedRequests)
    {
        var stub = Script(503, 200);
        using var invoker = Chain(stub, Retry());

        using var _ = await invoker.SendAsync(new HttpRequestMessage(new HttpMethod(method), "http://api.test/bets"), CancellationToken.None);

        stub.Requests.Count.ShouldBe(expectedRequests);
    }

    [Fact]
    public async Task SendAsync_PostWithIdempotencyKey_Retried()
    {
        var stub = Script(503, 200);
        using var invoker = Chain(stub, Retry());
        var request = new HttpRequestMessage(HttpMethod.Post, "http://api.test/bets") { Content = new StringContent("{}") };
        request.Headers.Add(RetryHandler.IdempotencyKeyHeader, "bet-42");

        (await invoker.SendAsync(request, CancellationToken.None)).StatusCode.ShouldBe(HttpStatusCode.OK);

        stub.Requests.Count.ShouldBe(2);
        stub.Requests.ShouldAllBe(r => r.Headers["Idempotency-Key"] == "bet-42");
    }

    [Fact]
    public async Task SendAsync_PostWithRetryUnsafeMethods_Retried()
    {
        var stub = Script(503, 200);
        using var invoker = Chain(stub, Retry(o => o.RetryUnsafeMethods = true));

        using var _ = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://api.test/bets"), CancellationToken.None);

        stub.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_PostWithAllowUnsafeRetrySetting_Retried()
    {
        var stub = Script(503, 200);
        using var invoker = Chain(stub, Retry());
        var request = new HttpRequestMessage(HttpMethod.Patch, "http://api.test/bets/1").WithSalvoSettings(new SalvoRequestSettings { AllowUnsafeRetry = true });

        using var _ = await invoker.SendAsync(request, CancellationToken.None);

        stub.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_RetrySettingFalse_NotRetried()
    {
        var stub = Script(503, 200);
        using var invoker = Chain(stub, Retry());

        using var response = await invoker.SendAsync(Get().WithSalvoSettings(new SalvoRequestSettings { Retry = false }), CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        stub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_DisabledButRetrySettingTrue_Retried()
    {
        var stub = Script(503, 503, 200);
        using var invoker = Chain(stub, Retry(o => o.Enabled = false));

        using var plain = await invoker.SendAsync(Get(), CancellationToken.None);
        using var optedIn = await invoker.SendAsync(Get().WithSalvoSettings(new SalvoRequestSettings { Retry = true }), CancellationToken.None);

        plain.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        optedIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        stub.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task SendAsync_StreamContentPostRetried_SendsTheWholeBodyEveryTime()
    {
        var transport = new BodyReadingTransport(n => Status(n < 3 ? 503 : 200));
        using var invoker = Chain(transport, Retry());
        var request = new HttpRequestMessage(HttpMethod.Post, "http://api.test/bets")
        {
            Content = new StreamContent(new ForwardOnlyStream("{\"gameId\":\"g1\",\"amount\":5}"u8.ToArray())),
        };
        request.Headers.Add(RetryHandler.IdempotencyKeyHeader, "bet-7");

        using var response = await invoker.SendAsync(request, CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        transport.Bodies.ShouldBe(Enumerable.Repeat("{\"gameId\":\"g1\",\"amount\":5}", 3));
    }

    [Fact]
    public async Task SendAsync_PostNotRetried_BodyLeftUnbuffered()
    {
        var content = new StreamContent(new ForwardOnlyStream("{}"u8.ToArray()));
        var transport = new BodyReadingTransport(_ => Status(200));
        using var invoker = Chain(transport, Retry());

        using var _ = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Post, "http://api.test/bets") { Content = content }, CancellationToken.None);

        // Buffering is paid only by calls that may be retried: this body was streamed once and cannot be read again.
        await Should.ThrowAsync<InvalidOperationException>(() => content.CopyToAsync(Stream.Null));
    }

    [Fact]
    public async Task SendAsync_AttemptTimedOutOnTheBudget_RenewsItAndRetriesWithAFreshToken()
    {
        var tokens = new List<CancellationToken>();
        var stub = new StubHandler(async (_, ct) =>
        {
            lock (tokens)
                tokens.Add(ct);
            if (tokens.Count == 1)
                await Task.Delay(Timeout.Infinite, ct);
            return Status(200);
        });
        var request = Get();
        using var invoker = Chain(stub, TimeoutHandler.Total(TimeSpan.FromSeconds(30), _time), Retry(), TimeoutHandler.Attempt(TimeSpan.FromSeconds(2), _time));

        var call = invoker.SendAsync(request, CancellationToken.None);
        await UntilAsync(() => tokens.Count == 1, "the first attempt is in flight");
        _time.Advance(TimeSpan.FromSeconds(2));

        using var response = await call;
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        tokens.Count.ShouldBe(2);
        tokens[0].IsCancellationRequested.ShouldBeTrue("the first attempt's budget fired");
        tokens[1].IsCancellationRequested.ShouldBeFalse("the second attempt got a renewed one");
        SalvoRequestContext.Find(request)!.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_AttemptTimeoutsUntilTheTotalRunsOut_EndsWithTheTotalTimeout()
    {
        var stub = new StubHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Status(200);
        });
        using var invoker = Chain(stub, TimeoutHandler.Total(TimeSpan.FromSeconds(5), _time), Retry(o => o.MaxRetries = 10), TimeoutHandler.Attempt(TimeSpan.FromSeconds(2), _time));

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        for (var i = 1; i <= 3; i++)
        {
            await UntilAsync(() => stub.Requests.Count == i, $"attempt {i} is in flight");
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        var ex = await Should.ThrowAsync<SalvoTimeoutException>(() => call);
        ex.Budget.ShouldBe(TimeoutBudget.Total, "attempts at 0-2 s and 2-4 s timed out; the third hit the 5 s total");
        stub.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task SendAsync_TotalBudgetExpires_NotRetried()
    {
        var stub = new StubHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Status(200);
        });
        using var invoker = Chain(stub, TimeoutHandler.Total(TimeSpan.FromSeconds(2), _time), Retry(), TimeoutHandler.Attempt(Timeout.InfiniteTimeSpan, _time));

        var call = invoker.SendAsync(Get(), CancellationToken.None);
        await UntilAsync(() => stub.Requests.Count == 1, "the attempt is in flight");
        _time.Advance(TimeSpan.FromSeconds(2));

        (await Should.ThrowAsync<SalvoTimeoutException>(() => call)).Budget.ShouldBe(TimeoutBudget.Total);
        stub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_NotRetried()
    {
        var stub = new StubHandler(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Status(200);
        });
        using var cts = new CancellationTokenSource();
        using var invoker = Chain(stub, Retry());

        var call = invoker.SendAsync(Get(), cts.Token);
        await UntilAsync(() => stub.Requests.Count == 1, "the attempt is in flight");
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call);
        stub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsDuringTheWait_StopsWaiting()
    {
        var stub = Script(503, 200);
        using var cts = new CancellationTokenSource();
        using var invoker = Chain(stub, Retry(o => o.BaseDelay = TimeSpan.FromSeconds(5)));

        var call = invoker.SendAsync(Get(), cts.Token);
        await UntilAsync(() => _time.ActiveTimers == 1, "the wait is scheduled");
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call);
        stub.Requests.Count.ShouldBe(1);
        _produced[0].Content.ShouldBeOfType<TrackedContent>().Disposed.ShouldBeTrue("the discarded 503 was disposed before waiting");
    }

    public static TheoryData<Exception> NotRetriedExceptions => new()
    {
        new SalvoThrottledException(ThrottleReason.RateLimit, "api.test", TimeSpan.FromSeconds(1)),
        new SalvoCircuitOpenException("api.test:80", TimeSpan.FromSeconds(5)),
        new SalvoTimeoutException(TimeoutBudget.Total, TimeSpan.FromSeconds(30)),
        new HttpRequestException(HttpRequestError.SecureConnectionError, "certificate not trusted"),
        new InvalidOperationException("a bug below"),
    };

    [Theory]
    [MemberData(nameof(NotRetriedExceptions))]
    public async Task SendAsync_NonTransientException_NotRetried(Exception failure)
    {
        var stub = new StubHandler(_ => throw failure);
        using var invoker = Chain(stub, Retry());

        (await Should.ThrowAsync<Exception>(() => invoker.SendAsync(Get(), CancellationToken.None))).ShouldBeSameAs(failure);
        stub.Requests.Count.ShouldBe(1);
    }

    public static TheoryData<Exception> RetriedExceptions => new()
    {
        new HttpRequestException(HttpRequestError.ConnectionError, "connection refused"),
        new HttpIOException(HttpRequestError.ResponseEnded, "truncated"),
        new IOException("reset by peer"),
        new SalvoTimeoutException(TimeoutBudget.Attempt, TimeSpan.FromSeconds(2)),
        new TaskCanceledException("connect timeout", new TimeoutException()),
    };

    [Theory]
    [MemberData(nameof(RetriedExceptions))]
    public async Task SendAsync_TransientException_Retried(Exception failure)
    {
        var calls = 0;
        var stub = new StubHandler(_ => ++calls == 1 ? throw failure : Status(200));
        using var invoker = Chain(stub, Retry());

        (await invoker.SendAsync(Get(), CancellationToken.None)).StatusCode.ShouldBe(HttpStatusCode.OK);

        calls.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_TransientExceptionEveryTime_RethrowsTheLastOne()
    {
        var calls = 0;
        var stub = new StubHandler(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, $"refused {++calls}"));
        using var invoker = Chain(stub, Retry(o => o.MaxRetries = 2));

        var ex = await Should.ThrowAsync<HttpRequestException>(() => invoker.SendAsync(Get(), CancellationToken.None));

        ex.Message.ShouldBe("refused 3");
    }

    [Fact]
    public async Task SendAsync_Retrying_LogsTheRedactedUrlDelayAndReason()
    {
        using var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var invoker = Chain(Script(503, 200), Retry(logger: factory.CreateLogger<RetryHandler>()));

        using var _ = await invoker.SendAsync(Get("http://api.test/items?api_key=s3cr3t&page=2"), CancellationToken.None);

        var line = logs.Lines.ShouldHaveSingleItem();
        line.ShouldStartWith("Information:401:");
        line.ShouldContain("Retrying GET http://api.test/items?api_key=***&page=2 in 0 ms (retry 1 of 3) after 503 ServiceUnavailable");
        line.ShouldNotContain("s3cr3t");
    }

    [Fact]
    public async Task SendAsync_GivingUpOverBudget_LogsWhy()
    {
        using var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var stub = Script(Throttled(r => r.Delta = TimeSpan.FromSeconds(60)));
        using var invoker = Chain(stub, TimeoutHandler.Total(TimeSpan.FromSeconds(10), _time), Retry(o => o.MaxDelay = TimeSpan.FromMinutes(5), factory.CreateLogger<RetryHandler>()));

        using var _ = await invoker.SendAsync(Get(), CancellationToken.None);

        logs.Lines.ShouldHaveSingleItem().ShouldStartWith("Information:402:Not retrying GET http://api.test/items after 429 TooManyRequests: the 60000 ms wait would overrun the 10000 ms left");
    }

    [Fact]
    public void Send_Synchronous_RetriesToo()
    {
        var calls = 0;
        using var invoker = Chain(new SyncStub(() => ++calls < 3 ? Status(503) : Status(200)), Retry());

        using var response = invoker.Send(Get(), CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        calls.ShouldBe(3);
    }

    [Fact]
    public void Send_SynchronousTransientExceptions_RethrowsTheLast()
    {
        var calls = 0;
        using var invoker = Chain(new SyncStub(() => throw new IOException($"reset {++calls}")), Retry(o => o.MaxRetries = 1));

        Should.Throw<IOException>(() => invoker.Send(Get(), CancellationToken.None)).Message.ShouldBe("reset 2");
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new RetryOptions { MaxRetries = -1, BaseDelay = TimeSpan.FromSeconds(-1), Randomizer = null! };
        options.MaxDelay = TimeSpan.FromSeconds(-2);

        var ex = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => new RetryHandler(options));

        ex.Failures.Count().ShouldBe(4);
        ex.Message.ShouldContain("MaxRetries must be between 0 and 100 (got -1)");
    }

    [Fact]
    public void Validate_Defaults_Succeed() =>
        RetryOptionsValidator.Instance.Validate(null, new RetryOptions()).Succeeded.ShouldBeTrue();

    private RetryHandler Retry(Action<RetryOptions>? configure = null, ILogger? logger = null)
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.Zero, Randomizer = () => 0 };
        configure?.Invoke(options);
        return new RetryHandler(options, _time, logger);
    }

    private StubHandler Script(params object[] steps)
    {
        var next = 0;
        return new StubHandler(_ =>
        {
            var step = steps[Math.Min(next++, steps.Length - 1)];
            var response = step is Func<HttpResponseMessage> make ? make() : Status((int)step);
            lock (_produced)
                _produced.Add(response);
            return response;
        });
    }

    private static Func<HttpResponseMessage> Throttled(Action<RetryAfterBuilder> retryAfter) => () =>
    {
        var builder = new RetryAfterBuilder();
        retryAfter(builder);
        var response = Status(429);
        response.Headers.RetryAfter = builder.Date is { } date ? new RetryConditionHeaderValue(date) : new RetryConditionHeaderValue(builder.Delta!.Value);
        return response;
    };

    private sealed class RetryAfterBuilder
    {
        public TimeSpan? Delta { get; set; }

        public DateTimeOffset? Date { get; set; }
    }

    private sealed class SyncStub(Func<HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) => respond();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The synchronous path must stay synchronous.");
    }
}
