using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Salvo.Auth;
using Salvo.Testing;
using Salvo.Tests.Support;
using static Salvo.Tests.Auth.AuthKit;

namespace Salvo.Tests.Auth;

/// <summary><see cref="AuthHandler"/> through <see cref="SalvoClient"/>'s default pipeline, over a stub transport.</summary>
public class AuthHandlerTests
{
    private readonly FakeTimeProvider _time = new();

    private SalvoClient Client(HttpMessageHandler transport, SalvoAuth auth, Action<SalvoClientOptions>? configure = null)
    {
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), Auth = auth, TimeProvider = _time };
        options.RateLimit.Enabled = false; // its first-probe rule would serialize the concurrent cases
        configure?.Invoke(options);
        return new SalvoClient(transport, options);
    }

    private static string? Authorization(RecordedRequest request) => request.Headers.GetValueOrDefault("Authorization");

    /// <summary>401 for token-1, 200 echoing the body for anything else.</summary>
    private static StubHandler RejectsFirstToken() => new(request =>
        request.Headers.Authorization?.Parameter == "token-1"
            ? Text(HttpStatusCode.Unauthorized)
            : Text(HttpStatusCode.OK, request.Content?.ReadAsStringAsync().Result ?? ""));

    [Fact]
    public async Task GetAsync_RetriedAfterTheTokenExpired_TheRetryCarriesTheCurrentToken()
    {
        // token-1 lives 70 s; the 503's Retry-After of 75 s outlasts it, so the retry needs token-2.
        var login = new LoginScript(_time) { Lifetime = TimeSpan.FromSeconds(70) };
        using var auth = login.Create();
        var first = true;
        var stub = new StubHandler(_ =>
        {
            if (!first)
                return Text(HttpStatusCode.OK, "ok");
            first = false;
            var busy = Text(HttpStatusCode.ServiceUnavailable);
            busy.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(75));
            return busy;
        });
        await using var client = Client(stub, auth, o =>
        {
            o.Timeouts.Total = TimeSpan.FromMinutes(5);
            o.Retry.MaxDelay = TimeSpan.FromMinutes(2);
        });

        var call = client.GetStringAsync("me");
        await UntilAsync(() => stub.Requests.Count == 1 && _time.ActiveTimers > 1, "the retry waits out the Retry-After");
        _time.Advance(TimeSpan.FromSeconds(75.01));

        (await call.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe("ok");
        stub.Requests.Select(Authorization).ShouldBe(["Bearer token-1", "Bearer token-2"], "each attempt gets a current token");
    }

    [Fact]
    public async Task SendAsync_PostAnswered401_ReplaysOnceWithANewTokenAndTheBodyIntact()
    {
        var login = new LoginScript(_time);
        using var auth = login.Create();
        var stub = RejectsFirstToken();
        await using var client = Client(stub, auth);
        var body = Encoding.UTF8.GetBytes("{\"stake\":10,\"currency\":\"EUR\"}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "bets") { Content = new StreamContent(new MemoryStream(body)) }; // a one-shot stream

        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("{\"stake\":10,\"currency\":\"EUR\"}");
        stub.Requests.Select(Authorization).ShouldBe(["Bearer token-1", "Bearer token-2"]);
        stub.Requests.ShouldAllBe(r => r.Method == HttpMethod.Post && r.Body == "{\"stake\":10,\"currency\":\"EUR\"}");
        login.Calls.ShouldBe(2);
        auth.Counters.Replayed401.ShouldBe(1);
        auth.Counters.TokensRejected.ShouldBe(1);
    }

    [Fact]
    public async Task GetJsonAsync_401AfterEveryReplay_ThrowsSalvoUnauthorizedAfterTheConfiguredBounces()
    {
        var login = new LoginScript(_time);
        using var auth = login.Create(o => o.MaxUnauthorizedReplays = 2);
        var stub = new StubHandler(_ => Text(HttpStatusCode.Unauthorized));
        await using var client = Client(stub, auth);

        var error = await Should.ThrowAsync<SalvoUnauthorizedException>(() => client.GetStringAsync("user/balance"));

        error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        stub.Requests.Count.ShouldBe(3, "the first try and two replays");
        login.Calls.ShouldBe(3);
    }

    [Fact]
    public async Task SendAsync_401ForAnOlderToken_ReplaysWithTheCurrentOneWithoutANewRefresh()
    {
        var login = new LoginScript(_time);
        using var auth = login.Create();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stub = new StubHandler(async (request, ct) =>
        {
            if (request.RequestUri!.AbsolutePath == "/slow" && request.Headers.Authorization?.Parameter == "token-1")
            {
                slowSeen.TrySetResult();
                await release.Task.WaitAsync(ct);
            }
            return request.Headers.Authorization?.Parameter == "token-1" ? Text(HttpStatusCode.Unauthorized) : Text(HttpStatusCode.OK, "ok");
        });
        await using var client = Client(stub, auth);

        var slow = client.GetStringAsync("slow");
        await slowSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        (await client.GetStringAsync("fast")).ShouldBe("ok"); // 401, refresh to token-2, replay
        release.SetResult();                                    // now the slow one's 401 for token-1 arrives

        (await slow).ShouldBe("ok");
        login.Calls.ShouldBe(2, "the slow call's 401 was for a token already replaced");
        auth.Counters.Replayed401.ShouldBe(2);
        auth.Counters.TokensRejected.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_ConcurrentCallsAllAnswered401_OneRefreshForAll()
    {
        var login = new LoginScript(_time);
        using var auth = login.Create();
        var stub = RejectsFirstToken();
        await using var client = Client(stub, auth);
        await auth.GetTokenAsync();

        var calls = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => client.GetStringAsync($"items/{i}")));

        calls.Length.ShouldBe(100);
        login.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task SendAsync_FixedBearerAnswered401_NotReplayed()
    {
        using var auth = SalvoAuth.Bearer("static-secret");
        var stub = new StubHandler(_ => Text(HttpStatusCode.Unauthorized));
        await using var client = Client(stub, auth);

        var error = await Should.ThrowAsync<SalvoUnauthorizedException>(() => client.GetStringAsync("user/balance"));

        stub.Requests.Count.ShouldBe(1);
        Authorization(stub.Requests[0]).ShouldBe("Bearer static-secret");
        error.Message.ShouldNotContain("static-secret");
        auth.MaxUnauthorizedReplays.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_RequestWithItsOwnAuthorization_SentAsItIs()
    {
        using var auth = SalvoAuth.Bearer("configured");
        var stub = new StubHandler(_ => Text(HttpStatusCode.OK));
        await using var client = Client(stub, auth);
        using var request = new HttpRequestMessage(HttpMethod.Get, "user/balance");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "per-call");

        using var response = await client.SendAsync(request);

        Authorization(stub.Requests[0]).ShouldBe("Bearer per-call");
    }

    [Fact]
    public async Task SendAsync_ApiKeyInHeader_SentRawInThatHeader()
    {
        using var auth = SalvoAuth.ApiKey("k-123", "X-Riot-Token");
        var stub = new StubHandler(_ => Text(HttpStatusCode.OK));
        await using var client = Client(stub, auth);

        await client.GetStringAsync("lol/summoner");

        stub.Requests[0].Headers["X-Riot-Token"].ShouldBe("k-123");
        stub.Requests[0].Headers.ContainsKey("Authorization").ShouldBeFalse();
    }

    [Fact]
    public async Task SendAsync_ApiKeyInQuery_SentOnTheUrlButNeverInTheError()
    {
        using var auth = SalvoAuth.ApiKeyInQuery("k-secret-9", "apikey");
        var stub = new StubHandler(_ => Text(HttpStatusCode.NotFound));
        await using var client = Client(stub, auth);

        var error = await Should.ThrowAsync<SalvoNotFoundException>(() => client.GetStringAsync("games?id=7"));

        stub.Requests[0].Uri.Query.ShouldBe("?id=7&apikey=k-secret-9");
        error.Url!.ShouldNotContain("k-secret-9");
        error.Message.ShouldNotContain("k-secret-9");
    }

    [Fact]
    public void ApiKeyInQuery_NameRedactionWouldNotMask_Refused()
    {
        Should.Throw<ArgumentException>(() => SalvoAuth.ApiKeyInQuery("k", "id")).ParamName.ShouldBe("parameterName");
    }

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    public async Task SendAsync_RedirectToAnotherOrigin_CredentialRemoved(int status)
    {
        using var auth = SalvoAuth.Bearer("secret-token");
        var stub = new StubHandler(request => request.RequestUri!.Host == "api.test"
            ? new HttpResponseMessage((HttpStatusCode)status) { Headers = { Location = new Uri("http://evil.test:8080/land") } }
            : Text(HttpStatusCode.OK, "landed"));
        await using var client = Client(stub, auth);

        (await client.GetStringAsync("start")).ShouldBe("landed");

        Authorization(stub.Requests[0]).ShouldBe("Bearer secret-token");
        stub.Requests[1].Uri.ShouldBe(new Uri("http://evil.test:8080/land"));
        stub.Requests[1].Headers.ContainsKey("Authorization").ShouldBeFalse();
    }

    [Fact]
    public async Task SendAsync_ApiKeyHeaderRedirectedToAnotherPort_KeyRemoved()
    {
        using var auth = SalvoAuth.ApiKey("k-123");
        var stub = new StubHandler(request => request.RequestUri!.Port == 80
            ? new HttpResponseMessage(HttpStatusCode.Found) { Headers = { Location = new Uri("http://api.test:81/land") } }
            : Text(HttpStatusCode.OK));
        await using var client = Client(stub, auth);

        await client.GetStringAsync("start");

        stub.Requests[0].Headers["X-Api-Key"].ShouldBe("k-123");
        stub.Requests[1].Headers.ContainsKey("X-Api-Key").ShouldBeFalse("another port is another origin");
    }

    [Fact]
    public async Task SendAsync_SameOriginRedirect_KeepsTheCredentialAndRewritesPostTo303Get()
    {
        using var auth = SalvoAuth.Bearer("secret-token");
        var stub = new StubHandler(request => request.RequestUri!.AbsolutePath == "/orders"
            ? new HttpResponseMessage(HttpStatusCode.SeeOther) { Headers = { Location = new Uri("/orders/1", UriKind.Relative) } }
            : Text(HttpStatusCode.OK, "order 1"));
        await using var client = Client(stub, auth);
        using var request = new HttpRequestMessage(HttpMethod.Post, "orders") { Content = new StringContent("{}") };

        using var response = await client.SendAsync(request);

        (await response.Content.ReadAsStringAsync()).ShouldBe("order 1");
        stub.Requests[1].Uri.ShouldBe(new Uri("http://api.test/orders/1"));
        stub.Requests[1].Method.ShouldBe(HttpMethod.Get);
        stub.Requests[1].Body.ShouldBeNull();
        Authorization(stub.Requests[1]).ShouldBe("Bearer secret-token");
    }

    [Fact]
    public async Task SendAsync_RedirectLoop_EndsAsTooManyRedirects()
    {
        using var auth = SalvoAuth.Bearer("t");
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.Found) { Headers = { Location = new Uri("/loop", UriKind.Relative) } });
        await using var client = Client(stub, auth, o => o.MaxRedirects = 3);

        await Should.ThrowAsync<SalvoTooManyRedirectsException>(() => client.GetStringAsync("loop"));

        stub.Requests.Count.ShouldBe(4);
    }

    [Fact]
    public async Task SendAsync_LoginFails_TypedAuthErrorWithTheCallAndNoSecret()
    {
        var login = new LoginScript(_time) { Failure = new HttpRequestException(HttpRequestError.ConnectionError) };
        using var auth = login.Create();
        var stub = new StubHandler(_ => Text(HttpStatusCode.OK));
        await using var client = Client(stub, auth, o => o.Retry.Enabled = false); // the error is transient: retry would wait on the fake clock

        var error = await Should.ThrowAsync<SalvoAuthenticationException>(() => client.GetStringAsync("user/balance"));

        error.Method.ShouldBe("GET");
        error.Url.ShouldBe("http://api.test/user/balance");
        error.IsTransient.ShouldBeTrue();
        error.Message.ShouldContain(auth.IdentityHash);
        stub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task SendAsync_BackoffLongerThanTheBudget_FailsAtOnceInsteadOfAtTheDeadline()
    {
        var login = new LoginScript(_time) { Failure = new HttpRequestException("down") };
        using var auth = login.Create(o => o.FailureBackoff = TimeSpan.FromSeconds(10));
        var stub = new StubHandler(_ => Text(HttpStatusCode.OK));
        await using var client = Client(stub, auth, o =>
        {
            o.Timeouts.Total = TimeSpan.FromSeconds(2);
            o.Timeouts.Attempt = TimeSpan.FromSeconds(1);
            o.Retry.Enabled = false;
        });
        await Should.ThrowAsync<SalvoAuthenticationException>(() => client.GetStringAsync("user/balance"));

        var second = client.GetStringAsync("user/balance");

        second.IsCompleted.ShouldBeTrue("no clock advanced: the call did not wait for a backoff it cannot outlast");
        (await Should.ThrowAsync<SalvoAuthenticationException>(second)).RetryAfter!.Value.ShouldBeGreaterThan(TimeSpan.FromSeconds(9));
        login.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_TokenEndpointDown_DoesNotOpenTheApiHostsCircuit()
    {
        var login = new LoginScript(_time) { Failure = new HttpRequestException("token endpoint down") };
        using var auth = login.Create(o => o.FailureBackoff = TimeSpan.FromSeconds(1));
        var stub = new StubHandler(_ => Text(HttpStatusCode.OK, "ok"));
        await using var client = Client(stub, auth, o =>
        {
            o.Retry.Enabled = false;
            o.Timeouts.Total = TimeSpan.FromMilliseconds(500); // shorter than the backoff: calls fail at once
            o.Timeouts.Attempt = TimeSpan.FromMilliseconds(500);
        });
        for (var i = 0; i < 40; i++)
            await Should.ThrowAsync<SalvoAuthenticationException>(() => client.GetStringAsync("user/balance"));

        login.Failure = null;
        _time.Advance(TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(1)); // past the backoff, inside the breaker's 5 s break

        (await client.GetStringAsync("user/balance")).ShouldBe("ok", "40 failed token requests say nothing about the API host");
    }

    [Fact]
    public async Task SendAsync_WaitingForAStalledRefresh_EndsWithTheCallsTotalBudget()
    {
        var login = new LoginScript(_time) { Gate = new TaskCompletionSource() };
        using var auth = login.Create(o => o.RefreshTimeout = TimeSpan.FromMinutes(1));
        var stub = new StubHandler(_ => Text(HttpStatusCode.OK));
        await using var client = Client(stub, auth, o =>
        {
            o.Timeouts.Total = TimeSpan.FromSeconds(2);
            o.Timeouts.Attempt = TimeSpan.FromSeconds(1);
        });

        var call = client.GetStringAsync("user/balance");
        await UntilAsync(() => login.Calls == 1, "the login starts");
        _time.Advance(TimeSpan.FromSeconds(2) + TimeSpan.FromMilliseconds(1));

        var error = await Should.ThrowAsync<SalvoTimeoutException>(call);
        error.Budget.ShouldBe(TimeoutBudget.Total);
    }

    [Fact]
    public async Task Logs_ReplayAndFailure_NeverContainATokenOrSecret()
    {
        var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var login = new LoginScript(_time);
        using var auth = login.Create();
        var stub = new StubHandler(_ => Text(HttpStatusCode.Unauthorized));
        await using var client = Client(stub, auth, o =>
        {
            o.LoggerFactory = factory;
            o.Retry.Enabled = false;
        });

        await Should.ThrowAsync<SalvoUnauthorizedException>(() => client.GetStringAsync("user/balance"));
        login.Failure = new InvalidOperationException("login service unavailable"); // a custom login's own exception is kept as the inner one
        await auth.RefreshAsync(await auth.GetTokenAsync()).AsTask().ContinueWith(_ => { });
        _time.Advance(TimeSpan.FromSeconds(2));
        await Should.ThrowAsync<SalvoException>(() => client.GetStringAsync("user/balance"));

        logs.Lines.ShouldContain(l => l.Contains(":700:"));
        logs.Lines.ShouldContain(l => l.Contains(":701:"));
        logs.Lines.ShouldContain(l => l.Contains(":702:"));
        logs.Lines.ShouldAllBe(l => !l.Contains("token-1") && !l.Contains("token-2"));
    }
    [Fact]
    public async Task AuthHandlerAlone_UnderAPlainHttpClient_AttachesAndReplays()
    {
        var login = new LoginScript(_time);
        using var auth = login.Create();
        var stub = RejectsFirstToken();
        using var http = new HttpClient(new AuthHandler(auth) { InnerHandler = stub }) { BaseAddress = new Uri("http://api.test/") };

        using var response = await http.PostAsync("bets", new StringContent("body"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        stub.Requests.Select(Authorization).ShouldBe(["Bearer token-1", "Bearer token-2"]);
        stub.Requests[1].Body.ShouldBe("body");
    }

    [Fact]
    public void Send_Synchronous_AttachesAndReplays()
    {
        var login = new LoginScript(_time);
        using var auth = login.Create();
        var seen = new List<string?>();
        using var invoker = new HttpMessageInvoker(new AuthHandler(auth) { InnerHandler = new SyncTransport(request =>
        {
            seen.Add(request.Headers.Authorization?.Parameter);
            return Text(request.Headers.Authorization?.Parameter == "token-1" ? HttpStatusCode.Unauthorized : HttpStatusCode.OK);
        }) });

        using var response = invoker.Send(new HttpRequestMessage(HttpMethod.Get, "http://api.test/x"), CancellationToken.None);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        seen.ShouldBe(["token-1", "token-2"]);
    }

    /// <summary>A transport with a real synchronous <see cref="HttpMessageHandler.Send"/>.</summary>
    private sealed class SyncTransport(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) => respond(request);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the synchronous path must stay synchronous");
    }
}
