using System.Net;
using Salvo.Caching;

namespace Salvo.Tests.Caching;

/// <summary>
/// Identical calls in flight share one upstream call, which the first caller makes on its own request and token; callers
/// giving up do not fail the others: a waiter's give-up ends only its wait, the leader's its call, and the waiters try again.
/// </summary>
public class CacheSingleFlightTests
{
    [Fact]
    public async Task ConcurrentIdenticalMisses_OneUpstreamCall_EveryCallerGetsItsOwnResponse()
    {
        var gate = CacheTestOrigin.Gate();
        var origin = new CacheTestOrigin().AnswerAfter(gate);
        var (http, cache) = origin.Client(new CacheOptions().Rule("*", TimeSpan.FromMinutes(1)));

        var calls = Enumerable.Range(0, 100).Select(_ => http.BodyAsync("hot")).ToArray();
        await WaitUntil(() => cache.Counters.Coalesced == 99 || calls.Any(c => c.IsCompleted));
        gate.SetResult();
        var bodies = await Task.WhenAll(calls);

        bodies.ShouldAllBe(b => b == "body 1");
        origin.Calls.ShouldBe(1);
        cache.Counters.Misses.ShouldBe(1);
        cache.Counters.Coalesced.ShouldBe(99);
    }

    [Fact]
    public async Task UncacheableGets_CoalescedToo_ThenEachLaterCallGoesUpstream()
    {
        var gate = CacheTestOrigin.Gate();
        var origin = new CacheTestOrigin().AnswerAfter(gate);
        var (http, cache) = origin.Client(new CacheOptions { Enabled = true });

        var calls = Enumerable.Range(0, 10).Select(_ => http.BodyAsync("uncached")).ToArray();
        await WaitUntil(() => cache.Counters.Coalesced == 9);
        gate.SetResult();
        (await Task.WhenAll(calls)).ShouldAllBe(b => b == "body 1");
        (await http.BodyAsync("uncached")).ShouldBe("body 2", "nothing was stored");
        cache.Counters.Stored.ShouldBe(0);
    }

    [Fact]
    public async Task CoalesceOff_EachCallGoesUpstream()
    {
        var gate = CacheTestOrigin.Gate();
        var origin = new CacheTestOrigin().AnswerAfter(gate);
        var (http, _) = origin.Client(new CacheOptions { Enabled = true, Coalesce = false });

        var calls = Enumerable.Range(0, 5).Select(_ => http.BodyAsync("x")).ToArray();
        await WaitUntil(() => origin.Calls == 5);
        gate.SetResult();
        await Task.WhenAll(calls);
        origin.Calls.ShouldBe(5);
    }

    [Fact]
    public async Task LeaderCancels_ItsUpstreamCallEnds_WaitersTryAgainWithExactlyOneMoreCall()
    {
        var gate = CacheTestOrigin.Gate();
        var cancelled = 0;
        var origin = new CacheTestOrigin();
        origin.Respond = async (req, n, ct) =>
        {
            try
            {
                await gate.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                throw;
            }
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"body {n}") };
        };
        var (http, cache) = origin.Client(new CacheOptions().Rule("*", TimeSpan.FromMinutes(1)));

        using var leaderCts = new CancellationTokenSource();
        var leader = http.GetAsync("a", cancellationToken: leaderCts.Token);
        await WaitUntil(() => origin.Calls == 1);
        var waiters = Enumerable.Range(0, 5).Select(_ => http.GetAsync("a")).ToArray();
        await WaitUntil(() => cache.Counters.Coalesced == 5);
        await leaderCts.CancelAsync(); // the leader's own call: its upstream call ends with it
        await Should.ThrowAsync<OperationCanceledException>(() => leader);
        await WaitUntil(() => origin.Calls == 2); // one waiter leads now, on its own token
        waiters.ShouldAllBe(w => !w.IsCompleted, "no waiter failed with the leader");
        gate.SetResult();

        (await Task.WhenAll(waiters)).ShouldAllBe(r => r.Status == HttpStatusCode.OK && r.Body == "body 2");
        origin.Calls.ShouldBe(2, "the cancelled call and one more, for all five waiters");
        cancelled.ShouldBe(1);
        cache.Counters.Misses.ShouldBe(1);
        cache.FlightCount.ShouldBe(0);
    }

    [Fact]
    public async Task WaiterCancels_OnlyItsWaitEnds_LoneLeaderCancels_UpstreamCancelled()
    {
        var gate = CacheTestOrigin.Gate();
        var upstreamCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var origin = new CacheTestOrigin();
        origin.Respond = async (req, n, ct) =>
        {
            try
            {
                await gate.Task.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                upstreamCancelled.TrySetResult();
                throw;
            }
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"body {n}") };
        };
        var (http, cache) = origin.Client(new CacheOptions().Rule("*", TimeSpan.FromMinutes(1)));

        var leader = http.GetAsync("a");
        await WaitUntil(() => origin.Calls == 1);
        using var quitterCts = new CancellationTokenSource();
        var quitter = http.GetAsync("a", cancellationToken: quitterCts.Token);
        var stayer = http.GetAsync("a");
        await WaitUntil(() => cache.Counters.Coalesced == 2);
        await quitterCts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => quitter);
        gate.SetResult();
        (await leader).Body.ShouldBe("body 1");
        (await stayer).Body.ShouldBe("body 1");
        upstreamCancelled.Task.IsCompleted.ShouldBeFalse();

        gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // never released
        using var loneCts = new CancellationTokenSource();
        var lone = http.GetAsync("b", cancellationToken: loneCts.Token);
        await WaitUntil(() => origin.Calls == 2);
        await loneCts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => lone);
        await upstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        origin.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task SalvoClient_LeaderCallEndsEarly_FollowersStillGetTheAnswer()
    {
        var gate = CacheTestOrigin.Gate();
        var origin = new CacheTestOrigin();
        origin.Respond = async (req, n, ct) =>
        {
            await gate.Task.WaitAsync(ct);
            return new HttpResponseMessage(n == 2 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK) { Content = new StringContent($"body {n}") };
        };
        var options = new SalvoClientOptions { BaseAddress = CacheTestOrigin.Base };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1); // the new leader retries its 503 within its own budget
        options.Timeouts.Total = TimeSpan.FromMinutes(2); // no budget runs out during the test: only the cancellation ends a call
        options.Timeouts.Attempt = TimeSpan.FromMinutes(1);
        options.Cache.Add("*", TimeSpan.FromMinutes(1));
        await using var client = new SalvoClient(origin, options);

        using var leaderCts = new CancellationTokenSource();
        var leader = client.GetStringAsync("a", leaderCts.Token);
        await WaitUntil(() => origin.Calls == 1);
        var followers = Enumerable.Range(0, 3).Select(_ => client.GetStringAsync("a")).ToArray();
        await WaitUntil(() => client.Cache!.Counters.Coalesced == 3);
        await leaderCts.CancelAsync(); // the leader's call, its budget and its upstream call end here
        await Should.ThrowAsync<OperationCanceledException>(() => leader);
        await WaitUntil(() => origin.Calls == 2); // a follower leads now, within its own call and budget
        gate.SetResult(); // the new leader's first attempt is a 503, retried within that follower's call

        (await Task.WhenAll(followers)).ShouldAllBe(b => b == "body 3");
        origin.Calls.ShouldBe(3, "the cancelled call, then the 503 and its retry for the three followers");
    }

    [Fact]
    public async Task UpstreamThrows_EveryWaiterSeesTheFailure_NextCallTriesAgain()
    {
        var gate = CacheTestOrigin.Gate();
        var origin = new CacheTestOrigin().AnswerAfter(gate, (_, n) => n == 1 ? throw new HttpRequestException("reset") : $"body {n}");
        var (http, cache) = origin.Client(new CacheOptions().Rule("*", TimeSpan.FromMinutes(1)));

        var calls = Enumerable.Range(0, 3).Select(_ => http.BodyAsync("a")).ToArray();
        await WaitUntil(() => cache.Counters.Coalesced == 2);
        gate.SetResult();
        foreach (var call in calls)
            await Should.ThrowAsync<HttpRequestException>(() => call);
        (await http.BodyAsync("a")).ShouldBe("body 2");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        // Bounded: these wait for other tasks to reach a point, never for time to pass.
        for (var i = 0; i < 2000 && !condition(); i++)
            await Task.Delay(5);
        condition().ShouldBeTrue();
    }
}
