using System.Diagnostics;
using Salvo.Cli.Bench;
using Salvo.Concurrency;
using Salvo.Sandbox;

namespace Salvo.Cli.Demo;

/// <summary>
/// Reproduces the seed's performance table against the in-process Sandbox: each scenario done the slow
/// way (one request after another) and the Salvo way (concurrently on one pooled client).
/// </summary>
internal sealed class DemoRunner(DemoSettings settings)
{
    /// <summary>Runs every scenario; <paramref name="progress"/> hears each one start and finish.</summary>
    public async Task<DemoReport> RunAsync(IProgress<(string Scenario, bool Done)> progress, CancellationToken cancellationToken)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions(), cancellationToken);
        await using var client = new SalvoClient(new SalvoClientOptions { BaseAddress = sandbox.BaseAddress });
        // Warm up as a long-lived client would be (JIT, and a pool as wide as the widest burst), with no
        // latency; both the sequential and the concurrent runs then use the same warm client.
        await WarmUpAsync(client, Math.Max(settings.Queries, Math.Max(settings.GameDetails, settings.SportEvents)), cancellationToken);
        sandbox.Options.Latency = SandboxLatency.Fixed(settings.Latency);

        var api = new DemoApi(client);
        var results = new List<ScenarioResult>();
        async Task Run(string name, int requests, Func<Task> sequential, Func<Task> concurrent)
        {
            progress.Report((name, false));
            var seq = await TimeAsync(sequential);
            var con = await TimeAsync(concurrent);
            results.Add(new ScenarioResult(name, requests, seq, con, Math.Round(seq / con, 2), "sequential", "Salvo concurrent"));
            progress.Report((name, true));
        }

        await Run("Single balance check", 1, () => api.BalanceAsync(cancellationToken), () => api.BalanceAsync(cancellationToken));
        await Run($"{settings.Queries} independent queries", settings.Queries,
            () => api.DashboardSequentialAsync(settings.Queries, cancellationToken),
            () => api.DashboardConcurrentAsync(settings.Queries, cancellationToken));
        await Run($"{settings.GameDetails} game details", settings.GameDetails,
            () => api.GamesSequentialAsync(settings.GameDetails, cancellationToken),
            () => api.GamesConcurrentAsync(settings.GameDetails, cancellationToken));
        await Run($"{settings.SportEvents} sport events", settings.SportEvents,
            () => api.EventsSequentialAsync(settings.SportEvents, cancellationToken),
            () => api.EventsConcurrentAsync(settings.SportEvents, cancellationToken));

        var stats = client.Stats;
        var summary = new ClientSummary(stats.Requests, Math.Round(stats.P50.TotalMilliseconds, 1), Math.Round(stats.P99.TotalMilliseconds, 1),
            sandbox.GetStats().ConnectionsOpened);
        if (settings.ConnectionRequests > 0)
            results.Add(await RunConnectionScenarioAsync(progress, cancellationToken));

        var realtime = settings.RealtimeDuration > TimeSpan.Zero ? await RunRealtimeScenarioAsync(progress, cancellationToken) : null;
        return new DemoReport(settings.Latency.TotalMilliseconds, settings.ConnectLatency.TotalMilliseconds, results, summary, realtime?.Headline)
        {
            RealtimeDetail = realtime,
        };
    }

    /// <summary>The seed's "use WebSockets for real-time data instead of polling": live odds on one stream versus polling.</summary>
    private async Task<RealtimeResult> RunRealtimeScenarioAsync(IProgress<(string, bool)> progress, CancellationToken cancellationToken)
    {
        var name = $"Real-time vs polling every {settings.PollInterval.TotalMilliseconds:0} ms";
        progress.Report((name, false));
        var result = await RealtimeComparison.RunAsync(
            new RealtimeSettings(settings.RealtimeDuration, settings.PollInterval, SandboxOptionsParser.ParseDuration(RealtimeComparison.DefaultFeedInterval)), cancellationToken);
        progress.Report((name, true));
        return result;
    }

    /// <summary>
    /// The seeds' other lesson: a new connection (TCP + TLS handshake) per request versus one pooled client,
    /// both sequential, over HTTPS with the handshake's network round trips simulated by the Sandbox.
    /// </summary>
    private async Task<ScenarioResult> RunConnectionScenarioAsync(IProgress<(string, bool)> progress, CancellationToken cancellationToken)
    {
        var name = $"{settings.ConnectionRequests} calls, new conn. vs pooled";
        progress.Report((name, false));
        await using var sandbox = await SandboxServer.StartAsync(
            new SandboxOptions { Https = true, ConnectionLatency = settings.ConnectLatency }, cancellationToken);
        var options = () =>
        {
            var o = new SalvoClientOptions { BaseAddress = sandbox.HttpsBaseAddress };
            o.Tls.TrustedRootCertificates.Add(sandbox.Certificate!);
            return o;
        };
        // Warm the code paths (JIT, TLS) before the clock starts, then apply the latency.
        await using (var warm = new SalvoClient(options()))
            await new DemoApi(warm).BalanceAsync(cancellationToken);
        sandbox.Options.Latency = SandboxLatency.Fixed(settings.Latency);

        var perRequest = await TimeAsync(async () =>
        {
            for (var i = 0; i < settings.ConnectionRequests; i++)
            {
                await using var fresh = new SalvoClient(options());
                await new DemoApi(fresh).BalanceAsync(cancellationToken);
            }
        });
        var pooled = await TimeAsync(async () =>
        {
            await using var client = new SalvoClient(options());
            var api = new DemoApi(client);
            for (var i = 0; i < settings.ConnectionRequests; i++)
                await api.BalanceAsync(cancellationToken);
        });
        progress.Report((name, true));
        return new ScenarioResult(name, settings.ConnectionRequests, perRequest, pooled, Math.Round(perRequest / pooled, 2),
            "new connection per request", "one pooled client");
    }

    private static async Task WarmUpAsync(SalvoClient client, int width, CancellationToken cancellationToken)
    {
        var api = new DemoApi(client);
        await api.DashboardConcurrentAsync(5, cancellationToken);
        await api.GamesConcurrentAsync(Math.Min(width, 100), cancellationToken);
        await api.EventsConcurrentAsync(Math.Min(width, 100), cancellationToken);
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        return Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 1);
    }
}
