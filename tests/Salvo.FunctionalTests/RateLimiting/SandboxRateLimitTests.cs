using System.Net;
using Salvo.FunctionalTests.Sandbox;
using Salvo.RateLimiting;
using Salvo.Sandbox;
using Salvo.Testing;

namespace Salvo.FunctionalTests.RateLimiting;

/// <summary>
/// <see cref="RateLimitHandler"/> in a plain <see cref="HttpClient"/> against the real Sandbox, both on one fake clock:
/// the test moves time only when every request is either answered or waiting in the limiter, so no test sleeps.
/// </summary>
public sealed class SandboxRateLimitTests
{
    private const int Requests = 30;
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    [Theory]
    [InlineData(SandboxRateLimitHeaders.All, "5/1s,12/5s")]
    [InlineData(SandboxRateLimitHeaders.Riot, "5/1s,12/5s")]
    [InlineData(SandboxRateLimitHeaders.Ietf, "5/1s,12/5s")]
    [InlineData(SandboxRateLimitHeaders.GitHub, "5/1s")]
    [InlineData(SandboxRateLimitHeaders.GitHub, "12/5s")]
    public async Task SendAsync_ConcurrentRequestsLearningFromHeaders_NoServer429(SandboxRateLimitHeaders families, string limits)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = clock, RateLimits = limits, RateLimitHeaders = families });
        using var handler = new RateLimitHandler(new RateLimitOptions(), clock) { InnerHandler = new SocketsHttpHandler() };

        var statuses = await RunAsync(sandbox, handler, clock, Requests);

        statuses.ShouldAllBe(s => s == HttpStatusCode.OK);
        sandbox.GetStats().RateLimited429.ShouldBe(0);
        sandbox.GetStats().TotalRequests.ShouldBe(Requests);
        handler.Limiter!.Counters.Paused.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_NoHeadersButConfiguredLimits_NoServer429()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            TimeProvider = clock,
            RateLimits = "5/1s,12/5s",
            RateLimitHeaders = SandboxRateLimitHeaders.None,
        });
        using var handler = new RateLimitHandler(new RateLimitOptions { Limits = "5/1s,12/5s", LearnFromHeaders = false }, clock)
        {
            InnerHandler = new SocketsHttpHandler(),
        };

        var statuses = await RunAsync(sandbox, handler, clock, Requests);

        statuses.ShouldAllBe(s => s == HttpStatusCode.OK);
        sandbox.GetStats().RateLimited429.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_NothingKnown_Quota429PausesUntilRetryAfterThenNoMore429()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            TimeProvider = clock,
            RateLimits = "3/10s",
            RateLimitHeaders = SandboxRateLimitHeaders.None,
        });
        using var handler = new RateLimitHandler(new RateLimitOptions(), clock) { InnerHandler = new SocketsHttpHandler() };

        var first = await RunAsync(sandbox, handler, clock, 6);
        var unavoidable = sandbox.GetStats().RateLimited429;
        var second = await RunAsync(sandbox, handler, clock, 3);

        first.Count(s => s == HttpStatusCode.OK).ShouldBe(3);
        unavoidable.ShouldBe(3, "with no headers and no configured limit, the client learns the limit from the 429 itself");
        handler.Limiter!.Counters.Paused.ShouldBeGreaterThanOrEqualTo(1);
        second.ShouldAllBe(s => s == HttpStatusCode.OK);
        sandbox.GetStats().RateLimited429.ShouldBe(unavoidable, "the pause lasted until the window reset");
    }

    [Fact]
    public async Task SendAsync_Service429_DoesNotPauseThePartition()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = clock, RateLimits = "100/1s", ServiceLimitRate = 1 });
        using var handler = new RateLimitHandler(new RateLimitOptions(), clock) { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = sandbox.BaseAddress };

        using (var busy = await http.GetAsync("user/balance"))
            busy.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        sandbox.Options.ServiceLimitRate = 0;
        var after = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => http.GetAsync("user/balance"))).WaitAsync(TimeSpan.FromSeconds(10));

        after.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK, "no pause: the clock never moved, and every request went at once");
        handler.Limiter!.Counters.ServiceThrottled.ShouldBe(1);
        handler.Limiter.Counters.Paused.ShouldBe(0);
        handler.Limiter.Snapshot().Single().PausedUntil.ShouldBeNull();
    }

    /// <summary>
    /// Starts <paramref name="count"/> GETs at once and moves the shared clock a step whenever every one of them is
    /// answered or waiting in the limiter (bounded in steps, so a stuck limiter fails instead of hanging).
    /// </summary>
    private static async Task<HttpStatusCode[]> RunAsync(SandboxServer sandbox, RateLimitHandler handler, FakeTimeProvider clock, int count)
    {
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = sandbox.BaseAddress };
        var done = 0;
        var calls = Enumerable.Range(0, count).Select(async i =>
        {
            try
            {
                using var response = await http.GetAsync($"casino/games/g-{i % 50 + 1:000}");
                return response.StatusCode;
            }
            finally
            {
                Interlocked.Increment(ref done);
            }
        }).ToArray();
        var all = Task.WhenAll(calls);
        for (var step = 0; !all.IsCompleted; step++)
        {
            step.ShouldBeLessThan(2_000, "the limiter never let the last requests go");
            await Eventually.UntilAsync(
                () => all.IsCompleted || handler.Limiter!.Snapshot().All(p => p.InFlight == 0) && Volatile.Read(ref done) + Waiting(handler) == count,
                "every request is answered or waiting");
            if (!all.IsCompleted)
                clock.Advance(Step);
        }
        return await all;
    }

    private static int Waiting(RateLimitHandler handler) => handler.Limiter!.Snapshot().Sum(p => p.Waiting);
}
