using System.Net;
using Polly.CircuitBreaker;
using Salvo.Resilience;
using Salvo.Testing;
using Salvo.Tests.Support;
using static Salvo.Tests.Resilience.ResilienceKit;

namespace Salvo.Tests.Resilience;

public class CircuitBreakerHandlerTests
{
    private static readonly Uri HostA = new("http://a.test/items");
    private static readonly Uri HostB = new("http://b.test/items");
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new();
    private readonly Dictionary<string, Func<HttpResponseMessage>> _answers = new(StringComparer.Ordinal);
    private readonly StubHandler _stub;

    public CircuitBreakerHandlerTests() =>
        _stub = new StubHandler(request => _answers.TryGetValue(request.RequestUri!.Authority, out var answer) ? answer() : Status(200));

    [Fact]
    public async Task SendAsync_FailureRatioReachedAtMinimumThroughput_OpensTheCircuit()
    {
        var handler = Breaker();
        using var invoker = Chain(_stub, handler);

        await SendAsync(invoker, HostA, 200);
        await SendAsync(invoker, HostA, 200);
        await SendAsync(invoker, HostA, 503);
        handler.GetState(HostA).ShouldBe(CircuitState.Closed, "3 calls are under the minimum throughput of 4");
        await SendAsync(invoker, HostA, 503);

        handler.GetState(HostA).ShouldBe(CircuitState.Open, "2 failures of 4 calls reach the ratio of 0.5");
        handler.Counters.Opened.ShouldBe(1);
        await Should.ThrowAsync<SalvoCircuitOpenException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None));
        _stub.Requests.Count.ShouldBe(4, "a refused call is not sent");
        handler.Counters.Rejected.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_RatioBelowThreshold_StaysClosed()
    {
        var handler = Breaker();
        using var invoker = Chain(_stub, handler);

        foreach (var status in new[] { 200, 503, 200, 200, 503, 200, 200, 503 })
            await SendAsync(invoker, HostA, status);

        handler.GetState(HostA).ShouldBe(CircuitState.Closed, "3 failures in 8 calls stay under 0.5");
    }

    [Fact]
    public async Task SendAsync_FailuresSpreadBeyondTheSamplingWindow_StaysClosed()
    {
        var handler = Breaker(o => o.SamplingDuration = TimeSpan.FromSeconds(10));
        using var invoker = Chain(_stub, handler);

        for (var i = 0; i < 6; i++)
        {
            await SendAsync(invoker, HostA, 503);
            _time.Advance(TimeSpan.FromSeconds(4));
        }

        handler.GetState(HostA).ShouldBe(CircuitState.Closed, "no 10 s window ever held the 4 calls the minimum throughput asks for");
        handler.Counters.Opened.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_FailuresWithinTheSamplingWindow_Open()
    {
        var handler = Breaker(o => o.SamplingDuration = TimeSpan.FromSeconds(10));
        using var invoker = Chain(_stub, handler);

        for (var i = 0; i < 4; i++)
        {
            await SendAsync(invoker, HostA, 503);
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        handler.GetState(HostA).ShouldBe(CircuitState.Open, "4 failures within 8 s of a 10 s window");
    }

    [Fact]
    public async Task SendAsync_OneHostOpen_AnotherHostIsStillCalled()
    {
        var handler = Breaker();
        using var invoker = Chain(_stub, handler);
        await OpenAsync(invoker, HostA);

        using var other = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostB), CancellationToken.None);
        using var otherPort = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://a.test:8080/items"), CancellationToken.None);

        other.StatusCode.ShouldBe(HttpStatusCode.OK);
        otherPort.StatusCode.ShouldBe(HttpStatusCode.OK, "an origin is scheme, host and port");
        handler.GetState(new Uri("http://a.test:8080/")).ShouldBe(CircuitState.Closed);
        handler.GetState(new Uri("https://a.test/")).ShouldBeNull("https is another origin, never called");
        handler.GetState(HostA).ShouldBe(CircuitState.Open);
        handler.GetState(HostB).ShouldBe(CircuitState.Closed);
        await Should.ThrowAsync<SalvoCircuitOpenException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None));
    }

    [Fact]
    public async Task SendAsync_OpenCircuit_ThrowsTypedErrorWithTheHalfOpenTime()
    {
        var handler = Breaker();
        using var invoker = Chain(_stub, handler);
        await OpenAsync(invoker, HostA);
        var openedAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(2));

        var ex = await Should.ThrowAsync<SalvoCircuitOpenException>(
            () => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://user:pw@a.test/items?api_key=secret"), CancellationToken.None));

        ex.Host.ShouldBe("a.test", "the default port is left out, as Uri.Authority does");
        ex.RetryAfter.ShouldBe(TimeSpan.FromSeconds(3));
        ex.HalfOpensAt.ShouldBe(openedAt + Break);
        ex.IsTransient.ShouldBeTrue();
        ex.Method.ShouldBe("GET");
        ex.InnerException.ShouldBeOfType<BrokenCircuitException>();
        ex.Message.ShouldContain("the circuit for a.test is open");
        ex.Message.ShouldContain("3000 ms");
        ex.Message.ShouldNotContain("secret");
        ex.Message.ShouldNotContain("pw");
        ex.Url!.ShouldNotContain("secret");
    }

    [Fact]
    public async Task SendAsync_AfterTheBreak_LetsATrialThroughAndItsSuccessCloses()
    {
        var handler = Breaker();
        using var invoker = Chain(_stub, handler);
        await OpenAsync(invoker, HostA);

        _time.Advance(Break - TimeSpan.FromMilliseconds(1));
        await Should.ThrowAsync<SalvoCircuitOpenException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await SendAsync(invoker, HostA, 200);

        handler.GetState(HostA).ShouldBe(CircuitState.Closed);
        await SendAsync(invoker, HostA, 200);
        _stub.Requests.Count.ShouldBe(6, "4 to open, the trial, and one more after closing");
    }

    [Fact]
    public async Task SendAsync_TrialFails_OpensForAnotherBreak()
    {
        var handler = Breaker();
        using var invoker = Chain(_stub, handler);
        await OpenAsync(invoker, HostA);
        _time.Advance(Break);

        await SendAsync(invoker, HostA, 502);

        handler.GetState(HostA).ShouldBe(CircuitState.Open);
        handler.Counters.Opened.ShouldBe(2);
        var ex = await Should.ThrowAsync<SalvoCircuitOpenException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None));
        ex.RetryAfter.ShouldBe(Break);
    }

    [Fact]
    public async Task SendAsync_WhileTheTrialIsInFlight_RefusesOtherCalls()
    {
        var held = new RaceTransport();
        var handler = Breaker();
        using var invoker = Chain(held, handler);
        for (var i = 0; i < 4; i++)
        {
            var failing = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None);
            (await held.NextAsync()).Respond(HttpStatusCode.ServiceUnavailable);
            (await failing).Dispose();
        }
        _time.Advance(Break);

        var trial = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None);
        var sent = await held.NextAsync();
        handler.GetState(HostA).ShouldBe(CircuitState.HalfOpen);
        var ex = await Should.ThrowAsync<SalvoCircuitOpenException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None));
        ex.RetryAfter!.Value.ShouldBeGreaterThanOrEqualTo(TimeSpan.Zero);
        sent.Respond();

        (await trial).StatusCode.ShouldBe(HttpStatusCode.OK);
        handler.GetState(HostA).ShouldBe(CircuitState.Closed);
        held.Arrived.ShouldBe(5);
    }

    [Fact]
    public async Task SendAsync_TrialCancelledByTheCaller_KeepsTheCircuitOpen()
    {
        var held = new RaceTransport();
        var handler = Breaker();
        using var invoker = Chain(held, handler);
        for (var i = 0; i < 4; i++)
        {
            var failing = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None);
            (await held.NextAsync()).Respond(HttpStatusCode.ServiceUnavailable);
            (await failing).Dispose();
        }
        _time.Advance(Break);
        using var cancel = new CancellationTokenSource();

        var trial = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), cancel.Token);
        await held.NextAsync();
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => trial);
        handler.GetState(HostA).ShouldBe(CircuitState.Open, "a cancelled trial says nothing about the host, so it cannot close the circuit");
        await Should.ThrowAsync<SalvoCircuitOpenException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None));
    }

    [Fact]
    public async Task SendAsync_TrialThrottledBelow_KeepsTheCircuitOpen()
    {
        var throttle = false;
        var stub = new StubHandler((request, _) => throttle
            ? throw new SalvoThrottledException(ThrottleReason.RateLimit, "a.test", TimeSpan.FromSeconds(1))
            : Task.FromResult(Status(503)));
        var handler = Breaker();
        using var invoker = Chain(stub, handler);
        for (var i = 0; i < 4; i++)
            (await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None)).Dispose();
        _time.Advance(Break);
        throttle = true;

        await Should.ThrowAsync<SalvoThrottledException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None));

        handler.GetState(HostA).ShouldBe(CircuitState.Open);
    }

    [Fact]
    public async Task SendAsync_ClosedCircuit_OutcomesThatSayNothingAreNotCountedAsSuccesses()
    {
        var throttle = true;
        var stub = new StubHandler((request, _) => throttle
            ? throw new SalvoThrottledException(ThrottleReason.RateLimit, "a.test", TimeSpan.FromSeconds(1))
            : Task.FromResult(Status(503)));
        var handler = Breaker();
        using var invoker = Chain(stub, handler);
        for (var i = 0; i < 20; i++)
            await Should.ThrowAsync<SalvoThrottledException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None));
        throttle = false;

        for (var i = 0; i < 4; i++)
            (await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None)).Dispose();

        handler.GetState(HostA).ShouldBe(CircuitState.Open, "4 failures of 4 recorded calls: 20 throttled attempts never reached the host and dilute nothing");
    }

    public static TheoryData<int> FailureStatuses => new() { 500, 502, 503, 504 };

    public static TheoryData<int> HealthyStatuses => new() { 200, 204, 301, 400, 401, 404, 408, 409, 429, 501, 505 };

    [Theory]
    [MemberData(nameof(FailureStatuses))]
    public async Task SendAsync_ServerErrorStatus_CountsAsAFailure(int status)
    {
        var handler = Breaker(o => (o.MinimumThroughput, o.FailureRatio) = (2, 1.0));
        using var invoker = Chain(_stub, handler);

        await SendAsync(invoker, HostA, status);
        await SendAsync(invoker, HostA, status);

        handler.GetState(HostA).ShouldBe(CircuitState.Open);
    }

    [Theory]
    [MemberData(nameof(HealthyStatuses))]
    public async Task SendAsync_AnswerFromAWorkingHost_IsNotAFailure(int status)
    {
        var handler = Breaker(o => (o.MinimumThroughput, o.FailureRatio) = (2, 0.01));
        using var invoker = Chain(_stub, handler);

        for (var i = 0; i < 5; i++)
            await SendAsync(invoker, HostA, status);

        handler.GetState(HostA).ShouldBe(CircuitState.Closed);
    }

    public static TheoryData<Exception> FailureExceptions => new()
    {
        new HttpRequestException(HttpRequestError.ConnectionError, "refused"),
        new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"),
        new HttpIOException(HttpRequestError.ResponseEnded, "reset"),
        new IOException("broken pipe"),
        new SalvoTimeoutException(TimeoutBudget.Attempt, TimeSpan.FromSeconds(1)),
        new SalvoTimeoutException(TimeoutBudget.Connect, TimeSpan.FromSeconds(1)),
        new TaskCanceledException("connect timeout", new TimeoutException()),
    };

    public static TheoryData<Exception> NeutralExceptions => new()
    {
        new SalvoThrottledException(ThrottleReason.ConcurrencyLimit, null, null),
        new SalvoTimeoutException(TimeoutBudget.Total, TimeSpan.FromSeconds(1)),
        new HttpRequestException(HttpRequestError.SecureConnectionError, "untrusted certificate"),
        new InvalidOperationException("bad request"),
    };

    [Theory]
    [MemberData(nameof(FailureExceptions))]
    public async Task SendAsync_ConnectionFailureOrAttemptTimeout_CountsAsAFailure(Exception error)
    {
        var handler = Breaker(o => (o.MinimumThroughput, o.FailureRatio) = (2, 1.0));
        using var invoker = Chain(new StubHandler((_, _) => Task.FromException<HttpResponseMessage>(error)), handler);

        // An async method that throws a cancellation ends canceled, so the caller sees a new exception of the same type.
        for (var i = 0; i < 2; i++)
            (await Should.ThrowAsync<Exception>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None))).ShouldBeOfType(error.GetType());

        handler.GetState(HostA).ShouldBe(CircuitState.Open);
    }

    [Theory]
    [MemberData(nameof(NeutralExceptions))]
    public async Task SendAsync_OutcomeThatSaysNothingAboutTheHost_IsNotAFailure(Exception error)
    {
        var handler = Breaker(o => (o.MinimumThroughput, o.FailureRatio) = (2, 0.01));
        using var invoker = Chain(new StubHandler((_, _) => Task.FromException<HttpResponseMessage>(error)), handler);

        for (var i = 0; i < 5; i++)
            (await Should.ThrowAsync<Exception>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None))).ShouldBeSameAs(error);

        handler.GetState(HostA).ShouldBe(CircuitState.Closed);
    }

    [Fact]
    public async Task SendAsync_CancelledByTheCaller_IsNotAFailure()
    {
        var handler = Breaker(o => (o.MinimumThroughput, o.FailureRatio) = (2, 0.01));
        using var invoker = Chain(new StubHandler(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return Status(200);
        }), handler);

        for (var i = 0; i < 3; i++)
        {
            using var cancel = new CancellationTokenSource();
            var call = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), cancel.Token);
            await cancel.CancelAsync();
            await Should.ThrowAsync<OperationCanceledException>(() => call);
        }

        handler.GetState(HostA).ShouldBe(CircuitState.Closed);
    }

    [Fact]
    public void Send_Synchronous_OpensAndRefusesLikeSendAsync()
    {
        var handler = Breaker();
        using var invoker = Chain(new SyncStub(() => Status(503)), handler);

        for (var i = 0; i < 4; i++)
            invoker.Send(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None).Dispose();
        var ex = Should.Throw<SalvoCircuitOpenException>(() => invoker.Send(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None));

        ex.RetryAfter.ShouldBe(Break);
        handler.Counters.Rejected.ShouldBe(1);
        _time.Advance(Break);
        invoker.Send(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None).Dispose();
        handler.GetState(HostA).ShouldBe(CircuitState.Open, "the synchronous trial failed too");
    }

    [Fact]
    public async Task SendAsync_Disabled_PassesEveryCallThrough()
    {
        var handler = Breaker(o => o.Enabled = false);
        using var invoker = Chain(_stub, handler);

        for (var i = 0; i < 10; i++)
            await SendAsync(invoker, HostA, 503);

        _stub.Requests.Count.ShouldBe(10);
        handler.Counters.Opened.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_MoreHostsThanMaxHosts_NewHostPassesThroughUntracked()
    {
        var handler = Breaker(o => o.MaxHosts = 1);
        using var invoker = Chain(_stub, handler);
        await SendAsync(invoker, HostA, 200);

        for (var i = 0; i < 6; i++)
            await SendAsync(invoker, HostB, 503);

        handler.Counters.Untracked.ShouldBe(6);
        _stub.Requests.Count.ShouldBe(7, "an untracked host is never refused");
    }

    [Fact]
    public async Task SendAsync_MaxHostsReachedAndOldHostIdle_EvictsItForTheNewHost()
    {
        var handler = Breaker(o => (o.MaxHosts, o.SamplingDuration) = (1, TimeSpan.FromSeconds(10)));
        using var invoker = Chain(_stub, handler);
        await SendAsync(invoker, HostA, 200);
        _time.Advance(TimeSpan.FromSeconds(11));

        await OpenAsync(invoker, HostB);

        handler.Counters.Untracked.ShouldBe(0);
        handler.GetState(HostB).ShouldBe(CircuitState.Open);
    }

    [Fact]
    public async Task SendAsync_MaxHostsReachedAndOldHostOpen_KeepsTheOpenCircuit()
    {
        var handler = Breaker(o => (o.MaxHosts, o.SamplingDuration) = (1, TimeSpan.FromSeconds(10)));
        using var invoker = Chain(_stub, handler);
        await OpenAsync(invoker, HostA);
        _time.Advance(TimeSpan.FromSeconds(4));

        await SendAsync(invoker, HostB, 200);

        handler.Counters.Untracked.ShouldBe(1, "an open circuit is never evicted: it would forget that its host is down");
        await Should.ThrowAsync<SalvoCircuitOpenException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None));
    }

    [Fact]
    public async Task SendAsync_CircuitOpens_LogsTheHostAndReasonWithoutSecrets()
    {
        using var logs = new ListLoggerProvider();
        var handler = Breaker(logger: logs.CreateLogger("breaker"));
        using var invoker = Chain(_stub, handler);
        _answers["a.test"] = () => Status(503);

        for (var i = 0; i < 4; i++)
            (await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://a.test/items?token=hunter2"), CancellationToken.None)).Dispose();
        _time.Advance(Break);
        _answers["a.test"] = () => Status(200);
        (await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, HostA), CancellationToken.None)).Dispose();

        logs.Lines.ShouldContain(l => l.StartsWith("Warning:601:", StringComparison.Ordinal) && l.Contains("Circuit for a.test opened") && l.Contains("503 ServiceUnavailable") && l.Contains("5000 ms"));
        logs.Lines.ShouldContain(l => l.StartsWith("Information:602:", StringComparison.Ordinal));
        logs.Lines.ShouldContain(l => l.StartsWith("Information:603:", StringComparison.Ordinal));
        logs.Lines.ShouldAllBe(l => !l.Contains("hunter2"));
    }

    [Fact]
    public async Task SendAsync_RelativeUri_PassesThrough()
    {
        var handler = Breaker();
        using var invoker = Chain(new StubHandler(_ => Status(503)), handler);

        for (var i = 0; i < 6; i++)
            (await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("items", UriKind.Relative)), CancellationToken.None)).Dispose();

        handler.Counters.Opened.ShouldBe(0);
    }

    private CircuitBreakerHandler Breaker(Action<CircuitBreakerOptions>? configure = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        var options = new CircuitBreakerOptions { MinimumThroughput = 4, FailureRatio = 0.5, BreakDuration = Break };
        configure?.Invoke(options);
        return new CircuitBreakerHandler(options, _time, logger);
    }

    private async Task SendAsync(HttpMessageInvoker invoker, Uri uri, int status)
    {
        _answers[uri.Authority] = () => Status(status);
        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), CancellationToken.None);
        ((int)response.StatusCode).ShouldBe(status);
    }

    private async Task OpenAsync(HttpMessageInvoker invoker, Uri uri)
    {
        for (var i = 0; i < 4; i++)
            await SendAsync(invoker, uri, 503);
        _answers[uri.Authority] = () => Status(200);
    }

    private sealed class SyncStub(Func<HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) => respond();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The synchronous path must stay synchronous.");
    }
}
