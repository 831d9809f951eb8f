using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Salvo.Cli.Commands;
using Salvo.Concurrency;
using Salvo.Resilience;
using Salvo.Sandbox;
using Spectre.Console;

namespace Salvo.Cli.Bench;

/// <summary>
/// <c>salvo bench hedging</c>: one request stream against an in-process Sandbox with a slow tail (a share of answers
/// many times slower), sent through a <see cref="SalvoClient"/> with the <see cref="HedgingHandler"/> off and then on.
/// Reports the client-side p99 of each run and the extra requests the server saw while measuring (hedges cancelled
/// before they reached it cost it nothing). The table also shows the hedges sent over every call the handler made,
/// warm-up included — the budget's own count. Targets: p99 cut at least 5×, with at most 5% extra requests.
/// </summary>
/// <remarks>
/// Each run gets a fresh Sandbox with the same seed and a fresh client; a warm-up (not measured) opens connections
/// and, with hedging on, fills the host's latency window so the live percentile is in use when measuring starts.
/// Extra requests are counted on the server, so hedges abandoned in flight count too.
/// </remarks>
internal static class HedgingBench
{
    private const int GameCount = 200;

    public static Command CreateCommand()
    {
        var requests = CliOptions.Count("--requests", "Measured requests per run.", 3000);
        var warmup = CliOptions.Count("--warmup", "Unmeasured requests before each run (connections, latency window).", 300, min: 0);
        var concurrency = CliOptions.Count("--concurrency", "Requests in flight.", 8);
        var latency = new Option<string>("--latency")
        {
            Description = "Base latency per request: 15ms, 10ms..20ms (uniform), lognormal:12ms,p99=30ms. Default: 10ms..20ms.",
            DefaultValueFactory = _ => "10ms..20ms",
        };
        var slowRate = CliOptions.Rate("--slow-rate", "Share of requests made --slow-factor times slower. Default here: 0.02;");
        slowRate.DefaultValueFactory = _ => 0.02;
        var slowFactor = new Option<double>("--slow-factor") { Description = "How many times slower a slow request is. Default: 20.", DefaultValueFactory = _ => SandboxOptions.DefaultSlowFactor };
        var percentile = new Option<double>("--percentile") { Description = $"Hedge after this percentile of recent latencies (0 for the fixed --delay only). Default: {HedgingOptions.DefaultPercentile}.", DefaultValueFactory = _ => HedgingOptions.DefaultPercentile };
        var delay = CliOptions.Duration("--delay", "Hedge delay until the percentile is known (or always, with --percentile 0).", "50ms");
        var budget = new Option<double>("--budget") { Description = $"Hedge budget: most hedges per call. Default: {HedgingOptions.DefaultBudgetRatio}.", DefaultValueFactory = _ => HedgingOptions.DefaultBudgetRatio };
        var seed = new Option<int>("--seed") { Description = "Seed of the Sandbox's latency and slow-tail draws. Default: 42.", DefaultValueFactory = _ => 42 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("hedging", "A slow tail with hedging off and on: p99 latency and extra requests.")
        {
            requests, warmup, concurrency, latency, slowRate, slowFactor, percentile, delay, budget, seed, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            HedgingBenchSettings settings;
            try
            {
                settings = new HedgingBenchSettings(
                    parse.GetValue(requests), parse.GetValue(warmup), parse.GetValue(concurrency),
                    SandboxLatency.Parse(parse.GetValue(latency) ?? "0"), parse.GetValue(slowRate), parse.GetValue(slowFactor),
                    new HedgingOptions
                    {
                        Enabled = true,
                        Percentile = parse.GetValue(percentile) is > 0 and var p ? p : null,
                        Delay = parse.GetValue(delay),
                        BudgetRatio = parse.GetValue(budget),
                    },
                    parse.GetValue(seed));
                HedgingOptionsValidator.ThrowIfInvalid(settings.Hedging);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or Microsoft.Extensions.Options.OptionsValidationException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"salvo bench hedging: {ex.Message}");
                return 2;
            }
            var result = await RunAsync(settings, ct);
            if (parse.GetValue(json))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(result.Headline, HedgingBenchJson.Default.HedgingBenchHeadline));
                return result.Failed == 0 ? 0 : 1;
            }
            var table = new Table().AddColumn("Hedging").AddColumn(new TableColumn("p50 (ms)").RightAligned())
                .AddColumn(new TableColumn("p99 (ms)").RightAligned()).AddColumn(new TableColumn("Server requests").RightAligned());
            table.AddRow("off", $"{result.P50MsOff:0.0}", $"{result.P99MsOff:0.0}", $"{result.ServerRequestsOff:N0}");
            table.AddRow("on", $"{result.P50MsOn:0.0}", $"{result.P99MsOn:0.0}", $"{result.ServerRequestsOn:N0}");
            var console = SalvoCli.Console(parse);
            console.Write(table);
            console.MarkupLine($"p99 cut [bold]{result.P99Reduction:0.0}×[/] (target ≥ 5×) for [bold]{result.ExtraRequests:P1}[/] extra requests (target ≤ 5%): "
                + $"{result.Hedged} hedges sent ({result.HedgedFraction:P1}), {result.HedgesWon} won, {result.DeniedByBudget} denied by the budget; median hedge delay {result.DelayMs:0.0} ms; {result.Failed} failed.");
            return result.Failed == 0 ? 0 : 1;
        });
        return command;
    }

    public static async Task<HedgingBenchResult> RunAsync(HedgingBenchSettings settings, CancellationToken ct)
    {
        var off = await RunOnceAsync(settings, hedge: false, ct);
        var on = await RunOnceAsync(settings, hedge: true, ct);
        var requests = settings.Requests;
        return new HedgingBenchResult(
            P99MsOff: Round(off.P99),
            P99MsOn: Round(on.P99),
            // From the rounded p99s, so the three printed numbers agree with each other.
            P99Reduction: Round(on.P99) > 0 ? Math.Round(Round(off.P99) / Round(on.P99), 2) : 0,
            ExtraRequests: Math.Round((double)(on.ServerRequests - requests) / requests, 4),
            Requests: requests,
            Concurrency: settings.Concurrency,
            P50MsOff: Round(off.P50),
            P50MsOn: Round(on.P50),
            ServerRequestsOff: off.ServerRequests,
            ServerRequestsOn: on.ServerRequests,
            Hedged: on.Hedged,
            HedgedFraction: Math.Round((double)on.HedgedInAll / (requests + settings.Warmup), 4),
            HedgesWon: on.HedgesWon,
            DeniedByBudget: on.DeniedByBudget,
            DelayMs: Round(on.MedianDelayMs),
            Failed: off.Failed + on.Failed);

        static double Round(double ms) => Math.Round(ms, 2);
    }

    private static async Task<RunResult> RunOnceAsync(HedgingBenchSettings settings, bool hedge, CancellationToken ct)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            Latency = settings.Latency,
            SlowRate = settings.SlowRate,
            SlowFactor = settings.SlowFactor,
            Seed = settings.Seed,
        }, ct);
        var options = settings.Hedging;
        using var hedging = new HedgingHandler(new HedgingOptions
        {
            Enabled = hedge,
            Percentile = options.Percentile,
            Delay = options.Delay,
            BudgetRatio = options.BudgetRatio,
        })
        {
            InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };
        await using var client = new SalvoClient(hedging, new SalvoClientOptions { BaseAddress = sandbox.BaseAddress });

        var failed = 0L;
        await Enumerable.Range(0, settings.Warmup).ForEachConcurrentAsync(
            async (i, token) => await FetchAsync(client, i, token), settings.Concurrency, ct);
        sandbox.ResetStats();
        var before = (hedging.Counters.Hedged, hedging.Counters.HedgesWon, hedging.Counters.DeniedByBudget);
        var latencies = new double[settings.Requests];
        var sampleEvery = Math.Max(1, settings.Requests / 20);
        var delays = new List<double>();
        await Enumerable.Range(0, settings.Requests).ForEachConcurrentAsync(
            async (i, token) =>
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await FetchAsync(client, i, token);
                }
                catch (SalvoException)
                {
                    Interlocked.Increment(ref failed);
                }
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (i % sampleEvery == 0 && hedging.GetDelay(sandbox.BaseAddress) is { } now)
                {
                    lock (delays)
                        delays.Add(now.TotalMilliseconds);
                }
            },
            settings.Concurrency,
            ct);
        // Abandoned hedges end on the server a moment after the client moved on; count them once they have.
        await SettleAsync(sandbox, ct);
        Array.Sort(latencies);
        delays.Sort();
        return new RunResult(
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            sandbox.GetStats().TotalRequests,
            hedging.Counters.Hedged - before.Hedged,
            hedging.Counters.HedgesWon - before.HedgesWon,
            hedging.Counters.DeniedByBudget - before.DeniedByBudget,
            delays.Count == 0 ? 0 : delays[delays.Count / 2],
            hedging.Counters.Hedged,
            failed);
    }

    private static Task<byte[]> FetchAsync(SalvoClient client, int i, CancellationToken ct) =>
        client.GetBytesAsync($"casino/games/g-{(i % GameCount) + 1:000}", ct);

    /// <summary>Waits, bounded, until nothing is in flight on the server.</summary>
    private static async Task SettleAsync(SandboxServer sandbox, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 5;
        while (sandbox.GetStats().InFlight > 0 && Stopwatch.GetTimestamp() < deadline)
            await Task.Delay(10, ct);
    }

    /// <summary>Nearest rank over sorted samples.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed record RunResult(double P50, double P99, long ServerRequests, long Hedged, long HedgesWon, long DeniedByBudget, double MedianDelayMs, long HedgedInAll, long Failed);
}

/// <summary>What <c>salvo bench hedging</c> runs with.</summary>
internal sealed record HedgingBenchSettings(
    int Requests, int Warmup, int Concurrency, SandboxLatency Latency, double SlowRate, double SlowFactor, HedgingOptions Hedging, int Seed);

/// <summary>One <c>salvo bench hedging</c> run: the headline numbers and what explains them (shown in the table).</summary>
internal sealed record HedgingBenchResult(
    double P99MsOff,
    double P99MsOn,
    double P99Reduction,
    double ExtraRequests,
    int Requests,
    int Concurrency,
    double P50MsOff,
    double P50MsOn,
    long ServerRequestsOff,
    long ServerRequestsOn,
    long Hedged,
    double HedgedFraction,
    long HedgesWon,
    long DeniedByBudget,
    double DelayMs,
    long Failed)
{
    public HedgingBenchHeadline Headline => new(P99MsOff, P99MsOn, P99Reduction, ExtraRequests);
}

/// <summary>What <c>salvo bench hedging --json</c> prints: exactly the four headline numbers.</summary>
internal sealed record HedgingBenchHeadline(
    [property: JsonPropertyName("p99_ms_off")] double P99MsOff,
    [property: JsonPropertyName("p99_ms_on")] double P99MsOn,
    [property: JsonPropertyName("p99_reduction")] double P99Reduction,
    [property: JsonPropertyName("extra_requests")] double ExtraRequests);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HedgingBenchHeadline))]
internal sealed partial class HedgingBenchJson : JsonSerializerContext;
