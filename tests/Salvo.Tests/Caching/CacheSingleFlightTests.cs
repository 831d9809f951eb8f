using System.Net;
using Salvo.Caching;

namespace Salvo.Tests.Caching;

/// <summary>Identical calls in flight share one upstream call; callers giving up do not fail the others.</summary>
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
    public async Task LeaderCancels_FollowersStillGetTheAnswer_AllCancel_UpstreamCancelled()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
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

        using var leaderCts = new CancellationTokenSource();
        var leader = http.GetAsync("a", cancellationToken: leaderCts.Token);
        await WaitUntil(() => origin.Calls == 1);
        var follower = http.GetAsync("a");
        await WaitUntil(() => cache.Counters.Coalesced == 1);
        await leaderCts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => leader);
        upstreamCancelled.Task.IsCompleted.ShouldBeFalse("a follower still waits");
        gate.SetResult();
        (await follower).Body.ShouldBe("body 1");

        gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // never released
        using var allCts = new CancellationTokenSource();
        var lone = http.GetAsync("b", cancellationToken: allCts.Token);
        await WaitUntil(() => origin.Calls == 2);
        await allCts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => lone);
        await upstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SalvoClient_LeaderCallEndsEarly_FollowersStillGetTheAnswer()
    {
        var gate = CacheTestOrigin.Gate();
        var origin = new CacheTestOrigin();
        origin.Respond = async (req, n, ct) =>
        {
            await gate.Task.WaitAsync(ct);
            return new HttpResponseMessage(n == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK) { Content = new StringContent($"body {n}") };
        };
        var options = new SalvoClientOptions { BaseAddress = CacheTestOrigin.Base };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1); // the retry runs after the leader's call (and budget) ended
        options.Cache.Add("*", TimeSpan.FromMinutes(1));
        await using var client = new SalvoClient(origin, options);

        using var leaderCts = new CancellationTokenSource();
        var leader = client.GetStringAsync("a", leaderCts.Token);
        await WaitUntil(() => origin.Calls == 1);
        var followers = Enumerable.Range(0, 3).Select(_ => client.GetStringAsync("a")).ToArray();
        await WaitUntil(() => client.Cache!.Counters.Coalesced == 3);
        await leaderCts.CancelAsync(); // the leader's call, and its budget, end here
        await Should.ThrowAsync<OperationCanceledException>(() => leader);
        gate.SetResult();

        (await Task.WhenAll(followers)).ShouldAllBe(b => b == "body 2");
        origin.Calls.ShouldBe(2, "the 503 and its retry, for all four callers");
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
