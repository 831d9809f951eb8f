using System.Net;
using Salvo.Pipeline;
using Salvo.Testing;
using Salvo.Tests.Support;
using static Salvo.Tests.Resilience.ResilienceKit;

namespace Salvo.Tests.Pipeline;

/// <summary>
/// A hedged attempt runs on its own <see cref="AttemptSource"/>, which the attempt budget arms instead of linking a scope
/// of its own: its expiry is an attempt timeout, a lost race is not, and the call's own cancellation still reaches it.
/// </summary>
public class AttemptSourceTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<CancellationToken> _tokens = [];

    [Fact]
    public async Task HedgeWins_TheLoserIsCancelledAndTheCallSucceedsWithinTheAttemptBudget()
    {
        await using var client = Client(first => first ? Hang : Answer);

        var call = client.GetBytesAsync("x");
        await LaunchHedgeAsync();

        (await call.WaitAsync(TimeSpan.FromSeconds(10))).Length.ShouldBe(2, "the hedge's answer, long before the first attempt's 2 s budget");
        Sent.ShouldBe(2);
        await UntilAsync(() => _tokens[0].IsCancellationRequested, "the losing attempt is cancelled");
    }

    [Fact]
    public async Task BothAttemptsHang_TheAttemptBudgetExpiresOnEachAsAnAttemptTimeout()
    {
        await using var client = Client(_ => Hang);

        var call = client.GetBytesAsync("x");
        await LaunchHedgeAsync();
        _time.Advance(TimeSpan.FromSeconds(1.85));
        call.IsCompleted.ShouldBeFalse("neither attempt's 2 s is up");
        _time.Advance(TimeSpan.FromSeconds(0.2));

        var ex = await Should.ThrowAsync<SalvoTimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        ex.Budget.ShouldBe(TimeoutBudget.Attempt, "each attempt ran out of its own 2 s; the 30 s total was far off");
        ex.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task CallerCancels_BothAttemptsAreCancelledAndItIsNoTimeout()
    {
        using var caller = new CancellationTokenSource();
        await using var client = Client(_ => Hang);

        var call = client.GetBytesAsync("x", caller.Token);
        await LaunchHedgeAsync();
        await caller.CancelAsync();

        var ex = await Should.ThrowAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        ex.ShouldNotBeOfType<SalvoTimeoutException>();
        lock (_tokens)
            _tokens.ShouldAllBe(t => t.IsCancellationRequested);
    }

    /// <summary>
    /// Starts the hedge: waits (without the clock moving) until the first attempt is in flight with its three timers armed —
    /// the call's budget, the attempt's own source, the hedge delay — then moves the clock past the delay.
    /// </summary>
    private async Task LaunchHedgeAsync()
    {
        await UntilAsync(() => Sent == 1 && _time.ActiveTimers == 3, "the first attempt is in flight, its budget and the hedge delay armed");
        _time.Advance(TimeSpan.FromMilliseconds(100.1));
        await UntilAsync(() => Sent == 2, "the hedge is sent");
    }

    private static async Task<HttpResponseMessage> Hang(CancellationToken token)
    {
        await Task.Delay(Timeout.Infinite, token);
        throw new InvalidOperationException("unreachable");
    }

    private static Task<HttpResponseMessage> Answer(CancellationToken token) => Task.FromResult(StubHandler.JsonResponse("{}"));

    private int Sent
    {
        get
        {
            lock (_tokens)
                return _tokens.Count;
        }
    }

    /// <summary>A client with hedging after a fixed 100 ms (budget wide open), no retries, no rate limiter, 2 s attempts, 30 s in all.</summary>
    /// <param name="behaviour">For the first request (true) and the others (false): how the transport answers.</param>
    private SalvoClient Client(Func<bool, Func<CancellationToken, Task<HttpResponseMessage>>> behaviour)
    {
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), TimeProvider = _time };
        options.Hedging.Enabled = true;
        options.Hedging.Delay = TimeSpan.FromMilliseconds(100);
        options.Hedging.Percentile = null;
        options.Hedging.BudgetRatio = 1;
        options.Retry.Enabled = false;
        // The learning limiter would hold the hedge until the first attempt (its probe) answers.
        options.RateLimit.Enabled = false;
        options.Timeouts.Total = TimeSpan.FromSeconds(30);
        options.Timeouts.Attempt = TimeSpan.FromSeconds(2);
        return new SalvoClient(new StubHandler((_, token) =>
        {
            bool first;
            lock (_tokens)
            {
                first = _tokens.Count == 0;
                _tokens.Add(token);
            }
            return behaviour(first)(token);
        }), options);
    }
}
