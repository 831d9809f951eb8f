using System.Net;
using Salvo.Caching;
using Salvo.Testing;
using static Salvo.Tests.Resilience.ResilienceKit;

namespace Salvo.Tests.Caching;

/// <summary>
/// A flight inside a <see cref="SalvoClient"/>: the leader's upstream call runs within the leader's own budget, so what
/// ends that call (its total budget) sends the waiters to try again, while a failure of the upstream call (an attempt
/// timeout) is theirs too; an attempt that timed out and was retried leaves the answer storable.
/// </summary>
public class CacheFlightBudgetTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly CacheTestOrigin _origin;

    public CacheFlightBudgetTests() => _origin = new CacheTestOrigin(_clock) { Respond = HangFirstCall };

    [Fact]
    public async Task LeadersTotalBudgetRunsOut_WaitersTryAgainWithinTheirOwn()
    {
        await using var client = Client(o =>
        {
            o.Retry.Enabled = false;
            o.Timeouts.Total = TimeSpan.FromSeconds(5);
        });

        var (leader, waiters) = await LeaderAndWaitersAsync(client, TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(4)); // the leader's 5 s are up; each waiter has 1 s left

        (await Should.ThrowAsync<SalvoTimeoutException>(() => leader)).Budget.ShouldBe(TimeoutBudget.Total);
        (await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(10))).ShouldAllBe(b => b == "body 2");
        _origin.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task LeadersAttemptTimesOut_WaitersShareTheTypedError()
    {
        await using var client = Client(o =>
        {
            o.Retry.Enabled = false;
            o.Timeouts.Attempt = TimeSpan.FromSeconds(1);
        });

        var (leader, waiters) = await LeaderAndWaitersAsync(client, TimeSpan.Zero);
        _clock.Advance(TimeSpan.FromSeconds(1));

        (await Should.ThrowAsync<SalvoTimeoutException>(() => leader)).Budget.ShouldBe(TimeoutBudget.Attempt);
        foreach (var waiter in waiters)
            (await Should.ThrowAsync<SalvoTimeoutException>(() => waiter.WaitAsync(TimeSpan.FromSeconds(10)))).Budget.ShouldBe(TimeoutBudget.Attempt);
        _origin.Calls.ShouldBe(1, "the upstream call failed: that is the answer for all four");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AttemptTimesOutThenRetrySucceeds_AnswerStoredAndServed(bool coalesce)
    {
        await using var client = Client(o =>
        {
            o.Cache.Coalesce = coalesce;
            o.Retry.BaseDelay = TimeSpan.Zero;
            o.Retry.Randomizer = () => 0;
            o.Timeouts.Attempt = TimeSpan.FromSeconds(1);
        });

        var first = client.GetStringAsync("a");
        await UntilAsync(() => _origin.Calls == 1, "the first attempt is upstream");
        _clock.Advance(TimeSpan.FromSeconds(1)); // it times out; the retry gets a new token from the call's budget

        (await first.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe("body 2");
        (await client.GetStringAsync("a")).ShouldBe("body 2", "stored, though the token the cache was given had fired");
        _origin.Calls.ShouldBe(2);
        client.Cache!.Counters.Stored.ShouldBe(1);
    }

    /// <summary>A leader whose upstream call hangs, and, <paramref name="later"/> on the clock, three callers waiting for it.</summary>
    private async Task<(Task<string> Leader, Task<string>[] Waiters)> LeaderAndWaitersAsync(SalvoClient client, TimeSpan later)
    {
        var leader = client.GetStringAsync("a");
        await UntilAsync(() => _origin.Calls == 1, "the leader's call is upstream");
        _clock.Advance(later);
        var waiters = Enumerable.Range(0, 3).Select(_ => client.GetStringAsync("a")).ToArray();
        await UntilAsync(() => client.Cache!.Counters.Coalesced == 3, "three waiters joined");
        return (leader, waiters);
    }

    /// <summary>The first call hangs until its token fires (a stalled server); later calls answer at once.</summary>
    private static async Task<HttpResponseMessage> HangFirstCall(HttpRequestMessage request, int n, CancellationToken cancellationToken)
    {
        if (n == 1)
            await Task.Delay(Timeout.Infinite, cancellationToken);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"body {n}"), RequestMessage = request };
    }

    private SalvoClient Client(Action<SalvoClientOptions> configure)
    {
        var options = new SalvoClientOptions { BaseAddress = CacheTestOrigin.Base, TimeProvider = _clock };
        options.Cache.Add("*", TimeSpan.FromMinutes(1));
        configure(options);
        return new SalvoClient(_origin, options);
    }
}
