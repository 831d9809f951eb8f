using System.Net;
using Salvo.ConcurrencyLimiting;
using Salvo.Tests.Support;

namespace Salvo.Tests.ConcurrencyLimiting;

/// <summary>Property test: whatever happens to each call, every slot comes back and the line empties.</summary>
public class ConcurrencyLimitReleaseTests
{
    private enum Outcome
    {
        Ok,
        Overloaded,
        Quota,
        ServiceShed,
        NotFound,
        ConnectionError,
        AttemptTimeout,
        Hang,
    }

    [Theory]
    [InlineData(ConcurrencyLimitMode.Fixed, 1)]
    [InlineData(ConcurrencyLimitMode.Fixed, 2)]
    [InlineData(ConcurrencyLimitMode.Fixed, 3)]
    [InlineData(ConcurrencyLimitMode.Adaptive, 4)]
    [InlineData(ConcurrencyLimitMode.Adaptive, 5)]
    [InlineData(ConcurrencyLimitMode.Adaptive, 6)]
    public async Task SendAsync_RandomOutcomes_LeaksNoSlot(ConcurrencyLimitMode mode, int seed)
    {
        var random = new Random(seed);
        var transport = new StubHandler(async (request, cancellationToken) =>
        {
            await Task.Yield();
            switch (Enum.Parse<Outcome>(request.Headers.GetValues("X-Outcome").Single()))
            {
                case Outcome.Ok: return new HttpResponseMessage(HttpStatusCode.OK);
                case Outcome.Overloaded: return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
                case Outcome.Quota: return new HttpResponseMessage(HttpStatusCode.TooManyRequests);
                case Outcome.ServiceShed:
                    var shed = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
                    shed.Headers.Add("X-Rate-Limit-Type", "service");
                    return shed;
                case Outcome.NotFound: return new HttpResponseMessage(HttpStatusCode.NotFound);
                case Outcome.ConnectionError: throw new HttpRequestException(HttpRequestError.ConnectionError, "reset");
                case Outcome.AttemptTimeout: throw new SalvoTimeoutException(TimeoutBudget.Attempt, TimeSpan.FromSeconds(1));
                default:
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    throw new InvalidOperationException("unreachable");
            }
        });
        var options = new ConcurrencyLimitOptions { Mode = mode, Limit = 3, MinLimit = 2, MaxLimit = 6, InitialLimit = 3, MaxQueue = 200 };
        using var kit = new LimiterTestKit(options, transport);
        var cancellations = new List<CancellationTokenSource>();
        var calls = new List<Task>();

        for (var i = 0; i < 300; i++)
        {
            var outcome = (Outcome)random.Next(0, 8);
            var request = LimiterTestKit.Get($"r{i}");
            request.Headers.Add("X-Outcome", outcome.ToString());
            var cts = new CancellationTokenSource();
            cancellations.Add(cts);
            var budgeted = outcome == Outcome.Hang ? random.Next(2) == 0 : random.Next(4) == 0;
            calls.Add(budgeted
                ? kit.SendWithBudgetAsync(request, TimeSpan.FromSeconds(random.Next(1, 5)), cts.Token)
                : kit.Invoker.SendAsync(request, cts.Token));
            if (random.Next(10) == 0)
                kit.Clock.Advance(TimeSpan.FromMilliseconds(random.Next(0, 500)));
            if (random.Next(20) == 0)
                await Task.Yield();
        }
        foreach (var cts in cancellations.OrderBy(_ => random.Next()))
        {
            await cts.CancelAsync();
            if (random.Next(8) == 0)
                kit.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        kit.Clock.Advance(TimeSpan.FromSeconds(10));

        foreach (var call in calls)
        {
            var failure = await Record.ExceptionAsync(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
            if (failure is not null)
                (failure is OperationCanceledException or SalvoThrottledException or HttpRequestException or SalvoTimeoutException).ShouldBeTrue(failure.ToString());
        }
        var gate = kit.Gate;
        gate.InFlight.ShouldBe(0);
        gate.Queued.ShouldBe(0);
        gate.Limit.ShouldBeInRange(mode == ConcurrencyLimitMode.Fixed ? 3 : 2, mode == ConcurrencyLimitMode.Fixed ? 3 : 6);
        gate.TryEnter().ShouldBeTrue();
        transport.MaxInFlight.ShouldBeLessThanOrEqualTo(mode == ConcurrencyLimitMode.Fixed ? 3 : 6);
        foreach (var cts in cancellations)
            cts.Dispose();
    }
}
