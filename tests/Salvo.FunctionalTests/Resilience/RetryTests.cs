using System.Net;
using System.Text;
using System.Text.Json;
using Salvo.Concurrency;
using Salvo.FunctionalTests.Client;
using Salvo.FunctionalTests.Sandbox;
using Salvo.Resilience;
using Salvo.Sandbox;
using Salvo.Testing;

namespace Salvo.FunctionalTests.Resilience;

/// <summary>SalvoClient's default pipeline retrying against the real Sandbox: what is retried, how long it waits, what it sends again.</summary>
public sealed class RetryTests : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync(new SandboxOptions { Seed = 11 });

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    // No backoff: these tests are about what is retried, not how long the waits are (RetryHandlerTests pin those on a fake
    // clock). No rate limiter either, unless a test asks: its pause after a 429 is its own subject.
    private SalvoClient Client(Action<SalvoClientOptions>? configure = null)
    {
        var options = new SalvoClientOptions { BaseAddress = _sandbox.BaseAddress };
        options.Retry.BaseDelay = TimeSpan.Zero;
        options.RateLimit.Enabled = false;
        configure?.Invoke(options);
        return new SalvoClient(options);
    }

    // Requests to /flaky/{key}, any method: every test has a Sandbox of its own and uses one key.
    private long FlakyRequests() =>
        _sandbox.GetStats().RequestsByRoute.Where(r => r.Key.EndsWith("/flaky/{key}", StringComparison.Ordinal)).Sum(r => r.Value);

    [Fact]
    public async Task GetJsonAsync_FailsTwiceThenWorks_SucceedsOnTheThirdAttempt()
    {
        await using var client = Client();

        var echo = await client.GetJsonAsync("flaky/a?fail=2", ClientJson.Default.Echo);

        echo.Method.ShouldBe("GET");
        FlakyRequests().ShouldBe(3);
        _sandbox.GetStats().TotalRequests.ShouldBe(3);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task GetJsonAsync_TransientStatus_Retried(int status)
    {
        await using var client = Client();

        await client.GetJsonAsync($"flaky/s{status}?fail=1&status={status}", ClientJson.Default.Echo);

        _sandbox.GetStats().TotalRequests.ShouldBe(2);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(501)]
    public async Task GetJsonAsync_PermanentStatus_NotRetried(int status)
    {
        await using var client = Client();

        var ex = await Should.ThrowAsync<SalvoHttpException>(() => client.GetJsonAsync($"flaky/p{status}?fail=1&status={status}", ClientJson.Default.Echo));

        ((int)ex.StatusCode!).ShouldBe(status);
        ex.Attempts.ShouldBe(1);
        _sandbox.GetStats().TotalRequests.ShouldBe(1);
    }

    [Fact]
    public async Task GetJsonAsync_AlwaysFailing_GivesUpAfterMaxRetriesWithTheTypedError()
    {
        await using var client = Client(o => o.Retry.MaxRetries = 2);

        var ex = await Should.ThrowAsync<SalvoHttpException>(() => client.GetJsonAsync("flaky/never?fail=100", ClientJson.Default.Echo));

        ex.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        ex.Attempts.ShouldBe(3);
        ex.IsTransient.ShouldBeTrue();
        FlakyRequests().ShouldBe(3);
    }

    [Fact]
    public async Task PostJsonAsync_503WithoutIdempotencyKey_NotRetried()
    {
        await using var client = Client();

        var ex = await Should.ThrowAsync<SalvoHttpException>(() => client.PostJsonAsync("flaky/post?fail=1", new Money(5, "EUR"), ClientJson.Default.Money, ClientJson.Default.Echo));

        ex.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        FlakyRequests().ShouldBe(1, "a POST may have had effects: without an Idempotency-Key it is sent once");
    }

    [Fact]
    public async Task SendAsync_PostWithIdempotencyKey_RetriedWithTheWholeBodyEachTime()
    {
        await using var client = Client();
        var payload = "{\"stake\":" + new string('7', 50_000) + "}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "flaky/idem?fail=2")
        {
            // A forward-only stream: the body can be read once, so only Salvo's buffering makes the retry whole.
            Content = new StreamContent(new OneShotStream(Encoding.UTF8.GetBytes(payload))),
        };
        request.Headers.Add(RetryHandler.IdempotencyKeyHeader, "bet-42");

        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        echo.RootElement.GetProperty("body").GetString().ShouldBe(payload);
        FlakyRequests().ShouldBe(3);
    }

    [Fact]
    public async Task GetJsonAsync_429WithRetryAfter_WaitsExactlyThatLongOnTheClock()
    {
        var time = new FakeTimeProvider();
        await using var client = Client(o => o.TimeProvider = time);

        var call = client.GetJsonAsync("flaky/ra?fail=1&status=429&retry_after=2", ClientJson.Default.Echo);
        await Eventually.UntilAsync(() => FlakyRequests() == 1 && time.ActiveTimers >= 2, "the first attempt was answered and the retry waits");
        time.Advance(TimeSpan.FromMilliseconds(1999));
        FlakyRequests().ShouldBe(1);
        call.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromMilliseconds(1));

        (await call).Method.ShouldBe("GET");
        FlakyRequests().ShouldBe(2);
    }

    [Fact]
    public async Task GetJsonAsync_429WithRetryAfterAndTheRateLimiter_RetriesWhenThePausePlusItsMarginEnds()
    {
        var time = new FakeTimeProvider();
        await using var client = Client(o =>
        {
            o.TimeProvider = time;
            o.RateLimit.Enabled = true;
        });

        var call = client.GetJsonAsync("flaky/both?fail=1&status=429&retry_after=2", ClientJson.Default.Echo);
        await Eventually.UntilAsync(() => FlakyRequests() == 1 && time.ActiveTimers >= 2, "the first attempt was answered and the retry waits");
        time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.UntilAsync(() => time.ActiveTimers >= 2 || call.IsCompleted, "the retry waits in the paused limiter (its timer beside the budget's)");
        FlakyRequests().ShouldBe(1, "the partition stays paused for the Retry-After plus a margin");
        call.IsCompleted.ShouldBeFalse();
        time.Advance(Salvo.RateLimiting.RateLimitOptions.DefaultPauseMargin + TimeSpan.FromMilliseconds(1)); // a hair over: timestamps round

        (await call.WaitAsync(TimeSpan.FromSeconds(10))).Method.ShouldBe("GET");
        FlakyRequests().ShouldBe(2);
    }

    [Fact]
    public async Task GetJsonAsync_RetryAfterBeyondTheBudget_FailsAtOnceCarryingTheServersRetryAfter()
    {
        var time = new FakeTimeProvider();
        await using var client = Client(o =>
        {
            o.TimeProvider = time;
            o.Timeouts.Total = TimeSpan.FromSeconds(5);
        });

        // The clock never moves: the call must end without waiting.
        var ex = await Should.ThrowAsync<SalvoTooManyRequestsException>(() => client.GetJsonAsync("flaky/long?fail=1&status=429&retry_after=60", ClientJson.Default.Echo));

        ex.RetryAfter.ShouldBe(TimeSpan.FromSeconds(60));
        ex.Attempts.ShouldBe(1);
        FlakyRequests().ShouldBe(1);
    }

    [Fact]
    public async Task GetJsonAsync_HungServer_EachAttemptTimesOutThenTheTotalBudgetEndsTheCall()
    {
        var time = new FakeTimeProvider();
        await using var client = Client(o =>
        {
            o.TimeProvider = time;
            o.Timeouts.Total = TimeSpan.FromSeconds(10);
            o.Timeouts.Attempt = TimeSpan.FromSeconds(3);
            o.Retry.MaxRetries = 10;
        });

        var call = client.GetJsonAsync("hang", ClientJson.Default.Echo);
        for (var attempt = 1; attempt <= 4 && !call.IsCompleted; attempt++)
        {
            var expected = attempt;
            await Eventually.UntilAsync(() => _sandbox.GetStats().Hangs >= expected || call.IsCompleted, $"attempt {expected} reached the server");
            time.Advance(TimeSpan.FromSeconds(3));
        }

        var ex = await Should.ThrowAsync<SalvoTimeoutException>(() => call);
        ex.Budget.ShouldBe(TimeoutBudget.Total, "three attempt timeouts of 3 s leave 1 s, which the fourth attempt uses up");
        _sandbox.GetStats().Hangs.ShouldBe(4);
    }

    [Fact]
    public async Task GetJsonAsync_FaultsAndResets_EveryCallSucceeds()
    {
        _sandbox.Options.FaultRate = 0.2;
        _sandbox.Options.ResetRate = 0.05;
        await using var client = Client(o => o.Retry.MaxRetries = 10);

        var failures = 0;
        var succeeded = 0;
        await foreach (var result in Enumerable.Range(0, 200).SelectConcurrentAsync(
            (i, ct) => client.GetJsonAsync($"casino/games/g-{(i % 50) + 1:000}", ClientJson.Default.Game, ct), maxConcurrency: 16))
        {
            if (result.IsSuccess)
                succeeded++;
            else
                failures++;
        }

        failures.ShouldBe(0);
        succeeded.ShouldBe(200);
        var stats = _sandbox.GetStats();
        stats.FaultsInjected.ShouldBeGreaterThan(0);
        stats.ConnectionResets.ShouldBeGreaterThan(0);
        stats.TotalRequests.ShouldBe(200 + stats.FaultsInjected + stats.ConnectionResets);
    }

    /// <summary>A stream that can be read once and cannot seek, like a request body piped from elsewhere.</summary>
    private sealed class OneShotStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();

        public override long Position
        {
            get => base.Position;
            set => throw new NotSupportedException();
        }
    }
}
