using Salvo.Realtime;
using Salvo.Testing;

namespace Salvo.Tests.Realtime;

/// <summary>The reconnect schedule: jittered, growing, capped, reset by a connection, bounded by MaxAttempts, waited on the injected clock.</summary>
public class ReconnectorTests
{
    private static ReconnectOptions Options(Func<double> random, int? maxAttempts = null) => new()
    {
        BaseDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromSeconds(2),
        MaxAttempts = maxAttempts,
        Randomizer = random,
    };

    [Fact]
    public void NextDelay_HighestRandom_TriplesUntilTheCap()
    {
        var reconnector = new Reconnector(Options(() => 1), TimeProvider.System, "ws://x/", null);

        var delays = Enumerable.Range(0, 5).Select(_ => reconnector.NextDelay().TotalMilliseconds).ToList();

        delays.ShouldBe([300, 900, 2000, 2000, 2000]);
    }

    [Fact]
    public void NextDelay_AnyRandom_StaysBetweenBaseAndThreeTimesThePrevious()
    {
        var random = new Random(11);
        var reconnector = new Reconnector(Options(random.NextDouble), TimeProvider.System, "ws://x/", null);
        var previous = TimeSpan.FromMilliseconds(100);

        for (var i = 0; i < 1000; i++)
        {
            var delay = reconnector.NextDelay();
            delay.ShouldBeInRange(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
            delay.ShouldBeLessThanOrEqualTo(previous * 3);
            previous = delay;
        }
    }

    [Fact]
    public void NextDelay_ServerDelay_IsTheBase()
    {
        var reconnector = new Reconnector(Options(() => 0), TimeProvider.System, "ws://x/", null);

        reconnector.NextDelay(TimeSpan.FromMilliseconds(700)).ShouldBe(TimeSpan.FromMilliseconds(700));
    }

    [Fact]
    public async Task WaitAsync_WaitsOnTheInjectedClockAndReportsTheAttempt()
    {
        var time = new FakeTimeProvider();
        var changes = new List<ConnectionStateChange>();
        var reconnector = new Reconnector(Options(() => 0.5), time, "ws://x/", changes.Add);
        var error = new SalvoRealtimeException("gone", "ws://x/", isTransient: true);

        var wait = reconnector.WaitAsync(error, null, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(199));
        wait.IsCompleted.ShouldBeFalse(); // 100 + 0.5 × (300 − 100) = 200 ms
        time.Advance(TimeSpan.FromMilliseconds(1.01));

        (await wait).ShouldBeTrue();
        changes.ShouldHaveSingleItem().ShouldBe(new ConnectionStateChange(ConnectionState.Reconnecting, "ws://x/", 1, TimeSpan.FromMilliseconds(200), error));
    }

    [Fact]
    public async Task WaitAsync_MaxAttemptsInARow_GivesUpAndAConnectionResetsTheCount()
    {
        var time = new FakeTimeProvider();
        var reconnector = new Reconnector(Options(() => 0, maxAttempts: 2), time, "ws://x/", null);

        (await WaitAsync(reconnector, time)).ShouldBeTrue();
        (await WaitAsync(reconnector, time)).ShouldBeTrue();
        (await WaitAsync(reconnector, time)).ShouldBeFalse();
        reconnector.Connected();
        (await WaitAsync(reconnector, time)).ShouldBeTrue();
        reconnector.Connections.ShouldBe(1);
    }

    [Fact]
    public async Task WaitAsync_Disabled_NeverWaits()
    {
        var options = Options(() => 0);
        options.Enabled = false;
        var reconnector = new Reconnector(options, new FakeTimeProvider(), "ws://x/", null);

        (await reconnector.WaitAsync(null, null, CancellationToken.None)).ShouldBeFalse();
    }

    private static async Task<bool> WaitAsync(Reconnector reconnector, FakeTimeProvider time)
    {
        var wait = reconnector.WaitAsync(null, null, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(3));
        return await wait;
    }
}
