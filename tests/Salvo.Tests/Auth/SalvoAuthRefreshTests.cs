using Salvo.Auth;
using Salvo.Testing;
using static Salvo.Tests.Auth.AuthKit;

namespace Salvo.Tests.Auth;

public class SalvoAuthRefreshTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task GetTokenAsync_BeforeTheSkew_ReusesTheTokenWithoutAsking()
    {
        var login = new LoginScript(_time);
        using var auth = login.Create();
        var first = await auth.GetTokenAsync();

        _time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(60) - Tick);
        var again = await auth.GetTokenAsync();

        again.ShouldBeSameAs(first);
        login.Calls.ShouldBe(1);
        auth.Counters.TokensExpired.ShouldBe(0);
    }

    [Fact]
    public async Task GetTokenAsync_InsideTheSkew_ReturnsTheValidTokenAndRefreshesOnceInTheBackground()
    {
        var login = new LoginScript(_time);
        using var auth = login.Create();
        await auth.GetTokenAsync();
        _time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(60) + Tick);
        login.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var during = new List<SalvoToken>();
        for (var i = 0; i < 50; i++)
            during.Add(await auth.GetTokenAsync()); // no wait: the old token is still valid
        await UntilAsync(() => login.Calls == 2, "the background refresh starts");
        login.Gate.SetResult();
        await UntilAsync(() => auth.GetTokenAsync().Result.Value == "token-2", "the new token is current");

        during.ShouldAllBe(t => t.Value == "token-1");
        login.Calls.ShouldBe(2);
        auth.Counters.TokensExpired.ShouldBe(1);
    }

    [Fact]
    public async Task GetTokenAsync_ShortLivedToken_SkewIsCappedAtATenthOfTheLifetime()
    {
        var login = new LoginScript(_time) { Lifetime = TimeSpan.FromSeconds(100) }; // the 60 s skew would be most of its life
        using var auth = login.Create();
        await auth.GetTokenAsync();

        _time.Advance(TimeSpan.FromSeconds(90) - Tick);
        await auth.GetTokenAsync();
        login.Calls.ShouldBe(1);
        _time.Advance(Tick * 2);
        await auth.GetTokenAsync();

        await UntilAsync(() => login.Calls == 2, "the refresh at 90 % of the lifetime");
    }

    [Fact]
    public async Task GetTokenAsync_ThousandConcurrentCallersOnAnExpiredToken_OneRefreshForAll()
    {
        var login = new LoginScript(_time);
        using var auth = login.Create();
        await auth.GetTokenAsync();
        _time.Advance(TimeSpan.FromHours(1) + Tick);
        login.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var started = 0;
        var callers = Enumerable.Range(0, 1000).Select(_ => Task.Run(async () =>
        {
            Interlocked.Increment(ref started);
            return await auth.GetTokenAsync();
        })).ToArray();
        await UntilAsync(() => Volatile.Read(ref started) == 1000 && login.Calls >= 1, "every caller asked");
        callers.ShouldAllBe(c => !c.IsCompleted, "an expired token is never handed out");
        login.Gate.SetResult();
        var tokens = await Task.WhenAll(callers);

        login.Calls.ShouldBe(2, "one initial fetch plus exactly one refresh");
        tokens.Select(t => t.Value).Distinct().ShouldBe(["token-2"]);
        auth.Counters.TokenRequests.ShouldBe(2);
        auth.Counters.TokensExpired.ShouldBe(1);
    }

    [Fact]
    public async Task GetTokenAsync_FirstTokenWithThousandCallers_OneLogin()
    {
        var login = new LoginScript(_time) { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        using var auth = login.Create();

        var callers = Enumerable.Range(0, 1000).Select(_ => Task.Run(() => auth.GetTokenAsync().AsTask())).ToArray();
        await UntilAsync(() => login.Calls == 1, "the login starts");
        login.Gate.SetResult();
        var tokens = await Task.WhenAll(callers);

        login.Calls.ShouldBe(1);
        tokens.ShouldAllBe(t => t.Value == "token-1");
    }

    [Fact]
    public async Task GetTokenAsync_TokenEndpointDown_EveryWaiterGetsATypedErrorThenBackoffThenRecovery()
    {
        var login = new LoginScript(_time)
        {
            Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
            Failure = new HttpRequestException(HttpRequestError.ConnectionError, "refused"),
        };
        using var auth = login.Create();

        // Started on this thread, so all 200 have joined the one refresh before it fails (a later caller would wait out the backoff).
        var waiters = Enumerable.Range(0, 200).Select(_ => auth.GetTokenAsync().AsTask()).ToArray();
        await UntilAsync(() => login.Calls == 1, "the login starts");
        login.Gate.SetResult();
        foreach (var waiter in waiters)
        {
            var error = await Should.ThrowAsync<SalvoAuthenticationException>(waiter);
            error.IsTransient.ShouldBeTrue();
            error.IdentityHash.ShouldBe(auth.IdentityHash);
            error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(1));
        }
        login.Calls.ShouldBe(1, "one failed request reached every waiter");
        auth.Counters.RefreshFailures.ShouldBe(1);

        // Not cached: the next call asks again, but only once the backoff has passed.
        login.Failure = null;
        var next = auth.GetTokenAsync().AsTask();
        await UntilAsync(() => _time.ActiveTimers >= 1, "the backoff wait is scheduled");
        login.Calls.ShouldBe(1);
        _time.Advance(TimeSpan.FromSeconds(1) + Tick);

        (await next).Value.ShouldBe("token-2");
        login.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task GetTokenAsync_FailuresInARow_BackoffDoublesUpToTheMaximum()
    {
        var login = new LoginScript(_time) { Failure = new HttpRequestException("down") };
        using var auth = login.Create(o => o.MaxFailureBackoff = TimeSpan.FromSeconds(3));

        (await Should.ThrowAsync<SalvoAuthenticationException>(() => auth.GetTokenAsync().AsTask())).RetryAfter.ShouldBe(TimeSpan.FromSeconds(1));
        var second = auth.GetTokenAsync().AsTask();
        await UntilAsync(() => _time.ActiveTimers >= 1, "the first backoff");
        _time.Advance(TimeSpan.FromSeconds(1) + Tick);
        (await Should.ThrowAsync<SalvoAuthenticationException>(second)).RetryAfter!.Value.ShouldBeInRange(TimeSpan.FromSeconds(2) - Tick * 2, TimeSpan.FromSeconds(2));
        var third = auth.GetTokenAsync().AsTask();
        await UntilAsync(() => _time.ActiveTimers >= 1, "the second backoff");
        _time.Advance(TimeSpan.FromSeconds(2) + Tick);
        (await Should.ThrowAsync<SalvoAuthenticationException>(third)).RetryAfter!.Value.ShouldBeInRange(TimeSpan.FromSeconds(3) - Tick * 2, TimeSpan.FromSeconds(3));

        login.Calls.ShouldBe(3);
    }

    [Fact]
    public async Task GetTokenAsync_BackgroundRefreshFails_CallersKeepTheValidTokenAndNoHerdFollows()
    {
        var login = new LoginScript(_time);
        using var auth = login.Create();
        await auth.GetTokenAsync();
        _time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(30));
        login.Failure = new HttpRequestException("down");

        (await auth.GetTokenAsync()).Value.ShouldBe("token-1");
        await UntilAsync(() => auth.Counters.RefreshFailures == 1, "the background refresh fails");
        for (var i = 0; i < 100; i++)
            (await auth.GetTokenAsync()).Value.ShouldBe("token-1");

        login.Calls.ShouldBe(2, "no new request inside the backoff");
        _time.Advance(TimeSpan.FromSeconds(1) + Tick);
        login.Failure = null;
        await auth.GetTokenAsync();
        await UntilAsync(() => login.Calls == 3, "the next refresh after the backoff");
    }

    [Fact]
    public async Task GetTokenAsync_LoginStallsPastRefreshTimeout_FailsAsTransientTimeout()
    {
        var login = new LoginScript(_time) { Gate = new TaskCompletionSource() };
        using var auth = login.Create(o => o.RefreshTimeout = TimeSpan.FromSeconds(5));

        var call = auth.GetTokenAsync().AsTask();
        await UntilAsync(() => login.Calls == 1, "the login starts");
        _time.Advance(TimeSpan.FromSeconds(5) + Tick);

        var error = await Should.ThrowAsync<SalvoAuthenticationException>(call);
        error.IsTransient.ShouldBeTrue();
        error.Message.ShouldContain("timed out");
    }

    [Fact]
    public async Task RefreshAsync_RejectedCurrentToken_RefreshesOnce()
    {
        var login = new LoginScript(_time);
        using var auth = login.Create();
        var first = await auth.GetTokenAsync();

        var refreshed = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => auth.RefreshAsync(first).AsTask()));

        refreshed.ShouldAllBe(t => t.Value == "token-2");
        login.Calls.ShouldBe(2);
        auth.Counters.TokensRejected.ShouldBe(1);
        login.LastPrevious!.Value.ShouldBe("token-1", "the login is told the newest token (its refresh token)");
    }

    [Fact]
    public async Task RefreshAsync_RejectedOlderToken_ReturnsTheCurrentWithoutAsking()
    {
        var login = new LoginScript(_time);
        using var auth = login.Create();
        var first = await auth.GetTokenAsync();
        await auth.RefreshAsync(first);

        var again = await auth.RefreshAsync(first);

        again.Value.ShouldBe("token-2");
        login.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task RefreshAsync_LateRejectionOfAnOldTokenWhileTheCurrentOneExpired_EveryReplacedTokenCountedOnce()
    {
        var login = new LoginScript(_time);
        using var auth = login.Create();
        // The handler's path: it reports the entry a request carried, not the token's value.
        var first = await auth.GetEntryAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);
        await auth.AfterRejectionAsync(first, Timeout.InfiniteTimeSpan, CancellationToken.None); // token-1 rejected, token-2 current
        _time.Advance(TimeSpan.FromHours(1) + Tick);                                              // token-2 expires with nobody calling

        var third = await auth.AfterRejectionAsync(first, Timeout.InfiniteTimeSpan, CancellationToken.None); // a late 401 for token-1

        third.Token.Value.ShouldBe("token-3");

        auth.Counters.TokenRequests.ShouldBe(3);
        (auth.Counters.TokensExpired + auth.Counters.TokensRejected).ShouldBe(2, "one initial fetch plus one per replaced token");
        auth.Counters.TokensExpired.ShouldBe(1);
    }

    [Fact]
    public async Task GetTokenAsync_CallerCancels_SharedRefreshGoesOnForOthers()
    {
        var login = new LoginScript(_time) { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        using var auth = login.Create();
        using var cancel = new CancellationTokenSource();

        var cancelled = auth.GetTokenAsync(cancel.Token).AsTask();
        var other = auth.GetTokenAsync().AsTask();
        await UntilAsync(() => login.Calls == 1, "the login starts");
        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(cancelled);
        login.Gate.SetResult();

        (await other).Value.ShouldBe("token-1");
        login.Calls.ShouldBe(1);
    }
}
