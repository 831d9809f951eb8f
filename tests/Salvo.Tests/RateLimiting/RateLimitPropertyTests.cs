using System.Threading.RateLimiting;
using Salvo.RateLimiting;
using Salvo.Testing;

namespace Salvo.Tests.RateLimiting;

/// <summary>
/// Random request streams against model servers, in simulated time: whatever the server's window kind, header family,
/// latency, concurrency, share or earlier usage, a client through <see cref="SalvoRateLimiter"/> never draws a 429.
/// </summary>
public class RateLimitPropertyTests
{
    private const int Requests = 120;

    [Theory]
    [InlineData("FixedFromFirstUse")]
    [InlineData("ClockAligned")]
    [InlineData("Sliding")]
    public void AttemptAcquire_RandomStreamsAgainstModelServers_NeverDraw429(string kindName)
    {
        var kind = Enum.Parse<ModelWindowKind>(kindName);
        for (var seed = 0; seed < 80; seed++)
        {
            var (server, outcome) = Simulate(kind, seed);
            outcome.ShouldBe("done", $"seed {seed}: {server.Describe()}");
            server.Rejected.ShouldBe(0, $"seed {seed}: {server.Describe()}");
            server.Admitted.ShouldBe(Requests);
        }
    }

    [Fact]
    public void Simulate_ClientWithoutTheLimiter_Draws429s()
    {
        // The model server is strict enough to catch a client that ignores its windows: the property above can fail.
        var server = new ModelServer(ModelWindowKind.FixedFromFirstUse, ModelFamily.Riot, [(5, 1)], DateTimeOffset.UnixEpoch);
        for (var i = 0; i < 10; i++)
            server.Decide(i * TimeSpan.TicksPerMillisecond).Dispose();
        server.Rejected.ShouldBe(5);
    }

    private static (ModelServer Server, string Outcome) Simulate(ModelWindowKind kind, int seed)
    {
        var random = new Random(seed * 31 + (int)kind);
        var family = (ModelFamily)random.Next(0, 5);
        var windowCount = family is ModelFamily.GitHubEpoch or ModelFamily.GitHubDelta ? 1 : random.Next(1, 4);
        var lengths = Enumerable.Range(1, 6).OrderBy(_ => random.Next()).Take(windowCount).Order().ToArray();
        var windows = lengths.Select((s, i) => (Limit: random.Next(2, 8) * (i + 1), Seconds: s)).ToList();
        var clock = new FakeTimeProvider();
        var server = new ModelServer(kind, family, windows, clock.GetUtcNow());
        if (family != ModelFamily.None && random.Next(2) == 0)
        {
            for (var i = 0; i < windows.Count; i++)
                server.Seed(i, random.Next(0, windows[i].Limit), -random.NextInt64(0, TimeSpan.FromSeconds(windows[i].Seconds).Ticks));
        }
        var options = new RateLimitOptions
        {
            LearnFromHeaders = family != ModelFamily.None,
            Limits = family == ModelFamily.None ? string.Join(",", windows.Select(w => $"{w.Limit}/{w.Seconds}s")) : null,
            Share = random.Next(3) == 0 ? 0.5 : 1,
        };
        using var limiter = new SalvoRateLimiter(options, clock);
        var maxLatency = TimeSpan.FromMilliseconds(random.Next(0, 400)).Ticks;
        var concurrency = random.Next(1, 40);
        return (server, Run(limiter, server, clock, random, maxLatency, concurrency));
    }

    /// <summary>The client sends as fast as the limiter lets it; returns "done" or why it stopped.</summary>
    private static string Run(SalvoRateLimiter limiter, ModelServer server, FakeTimeProvider clock, Random random, long maxLatency, int concurrency)
    {
        var events = new PriorityQueue<Action, (long, long)>();
        long now = 0, order = 0, nextTry = long.MaxValue;
        int launched = 0, answered = 0, inFlight = 0;
        void At(long time, Action action) => events.Enqueue(action, (time, order++));

        for (var step = 0; answered < Requests; step++)
        {
            if (step > 200_000 || now > TimeSpan.FromHours(1).Ticks)
                return $"stuck at {TimeSpan.FromTicks(now)} with {answered} answered";
            while (launched < Requests && inFlight < concurrency)
            {
                var lease = (SalvoRateLimitLease)limiter.AttemptAcquire(new HttpRequestMessage(HttpMethod.Get, $"http://api.test/r{launched}"));
                if (!lease.IsAcquired)
                {
                    if (lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && (TimeSpan)wait! > TimeSpan.Zero && now + ((TimeSpan)wait).Ticks < nextTry)
                    {
                        nextTry = now + ((TimeSpan)wait).Ticks;
                        At(nextTry, () => nextTry = long.MaxValue);
                    }
                    break;
                }
                launched++;
                inFlight++;
                var arrive = now + random.NextInt64(0, maxLatency + 1);
                At(arrive, () =>
                {
                    var response = server.Decide(arrive);
                    At(arrive + random.NextInt64(0, maxLatency + 1), () =>
                    {
                        lease.Complete(response);
                        inFlight--;
                        answered++;
                    });
                });
            }
            if (!events.TryDequeue(out var next, out var key))
                return $"stalled at {TimeSpan.FromTicks(now)} with {answered} answered and nothing due";
            if (key.Item1 > now)
            {
                clock.Advance(TimeSpan.FromTicks(key.Item1 - now));
                now = key.Item1;
            }
            next();
        }
        return "done";
    }
}
