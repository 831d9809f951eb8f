using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Salvo.Cli.Commands;
using Salvo.ConcurrencyLimiting;
using Salvo.Sandbox;
using Spectre.Console;

namespace Salvo.Cli.Bench;

/// <summary>
/// <c>salvo bench adaptive</c>: the adaptive concurrency limit against every fixed limit of a set, and against no limit,
/// on the in-process Sandbox with a capacity knee (latency grows past <c>--capacity</c> in flight, 503s past twice it),
/// with more callers than the knee so that the limit matters. The adaptive limit should match the best fixed limit
/// without being told the capacity (ratio ≥ 0.9) and keep its error rate at or under 1 %.
/// </summary>
internal static class AdaptiveBench
{
    public static Command CreateCommand()
    {
        var duration = CliOptions.Duration("--duration", "How long each run is measured, after its warm-up.", "8s");
        var warmup = CliOptions.Duration("--warmup", "How long each run goes before it is measured.", "2s");
        var requests = CliOptions.Count("--requests", "The most requests one run sends, warm-up included.", 1_000_000);
        var callers = CliOptions.Count("--callers", "Callers sending one request after another: the concurrency offered.", 256);
        var latency = new Option<string>("--latency")
        {
            Description = "The Sandbox's base latency: 30ms, 20ms..40ms, lognormal:30ms,p99=60ms. Default: lognormal:30ms,p99=60ms.",
            DefaultValueFactory = _ => "lognormal:30ms,p99=60ms",
        };
        var capacity = CliOptions.Count("--capacity", "The Sandbox's capacity: latency grows past it in flight, 503s past twice it.", 32);
        var fixedLimits = new Option<string>("--fixed")
        {
            Description = $"The fixed limits to compare against, comma-separated. Default: {AdaptiveBenchSettings.DefaultFixed}.",
            DefaultValueFactory = _ => AdaptiveBenchSettings.DefaultFixed,
        };
        var minLimit = CliOptions.Count("--min-limit", "The adaptive limit's floor and probing concurrency.", ConcurrencyLimitOptions.DefaultMinLimit);
        var maxLimit = CliOptions.Count("--max-limit", "The adaptive limit's ceiling.", ConcurrencyLimitOptions.DefaultMaxLimit);
        var initialLimit = CliOptions.Count("--initial-limit", "The adaptive limit after its first probe.", ConcurrencyLimitOptions.DefaultInitialLimit);
        var probeInterval = CliOptions.Duration("--probe-interval", "How often the adaptive limit re-measures its baseline (the library's default is 30s).",
            AdaptiveBenchSettings.DefaultProbeInterval);
        var seed = CliOptions.Count("--seed", "The Sandbox's random seed.", 1, min: 0);
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("adaptive", "Adaptive concurrency against the best fixed limit and no limit, on a Sandbox with a capacity knee.")
        {
            duration, warmup, requests, callers, latency, capacity, fixedLimits, minLimit, maxLimit, initialLimit, probeInterval, seed, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            AdaptiveBenchSettings settings;
            try
            {
                settings = new AdaptiveBenchSettings(
                    parse.GetValue(duration), parse.GetValue(warmup), parse.GetValue(requests), parse.GetValue(callers),
                    SandboxLatency.Parse(parse.GetValue(latency) ?? ""), parse.GetValue(capacity), ParseLimits(parse.GetValue(fixedLimits) ?? ""),
                    parse.GetValue(minLimit), parse.GetValue(maxLimit), parse.GetValue(initialLimit), parse.GetValue(probeInterval), parse.GetValue(seed));
                ConcurrencyLimitOptionsValidator.ThrowIfInvalid(settings.AdaptiveOptions());
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or Microsoft.Extensions.Options.OptionsValidationException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"salvo bench adaptive: {ex.Message}");
                return 2;
            }
            var (summary, runs) = await RunAsync(settings, ct);
            if (parse.GetValue(json))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(summary, AdaptiveBenchJson.Default.AdaptiveBenchResult));
                return 0;
            }
            Render(SalvoCli.Console(parse), settings, summary, runs);
            return 0;
        });
        return command;
    }

    public static async Task<(AdaptiveBenchResult Summary, IReadOnlyList<RunResult> Runs)> RunAsync(AdaptiveBenchSettings settings, CancellationToken ct)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            Capacity = settings.Capacity,
            Latency = settings.Latency,
            Seed = settings.Seed,
        }, ct);
        var runs = new List<RunResult>();
        foreach (var limit in settings.Fixed)
        {
            var options = new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Fixed, Limit = limit };
            runs.Add(await LoadRun.RunAsync(limit.ToString(CultureInfo.InvariantCulture), sandbox.BaseAddress, options, settings, ct));
        }
        var unbounded = await LoadRun.RunAsync("unbounded", sandbox.BaseAddress, new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Off }, settings, ct);
        var adaptive = await LoadRun.RunAsync("adaptive", sandbox.BaseAddress, settings.AdaptiveOptions(), settings, ct);
        runs.Add(unbounded);
        runs.Add(adaptive);

        var best = 0;
        for (var i = 1; i < settings.Fixed.Count; i++)
        {
            if (runs[i].Rps > runs[best].Rps)
                best = i;
        }
        var summary = new AdaptiveBenchResult(
            Math.Round(adaptive.Rps, 1),
            Math.Round(runs[best].Rps, 1),
            settings.Fixed[best],
            runs[best].Rps == 0 ? 0 : Math.Round(adaptive.Rps / runs[best].Rps, 3),
            Math.Round(adaptive.ErrorRate, 4),
            Math.Round(unbounded.ErrorRate, 4));
        return (summary, runs);
    }

    private static IReadOnlyList<int> ParseLimits(string text)
    {
        var limits = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1)
                throw new FormatException($"--fixed: '{part}' is not a limit of at least 1.");
            limits.Add(limit);
        }
        return limits.Count > 0 ? limits : throw new FormatException("--fixed needs at least one limit, e.g. 16,32,64.");
    }

    private static void Render(IAnsiConsole console, AdaptiveBenchSettings settings, AdaptiveBenchResult summary, IReadOnlyList<RunResult> runs)
    {
        var table = new Table()
            .AddColumn("Limit")
            .AddColumn(new TableColumn("OK/s").RightAligned())
            .AddColumn(new TableColumn("Errors").RightAligned())
            .AddColumn(new TableColumn("Mean limit").RightAligned());
        foreach (var run in runs)
            table.AddRow(run.Name, $"{run.Rps:N0}", $"{run.ErrorRate:P2}", run.MeanLimit is { } mean ? $"{mean:0.0}" : "-");
        console.Write(table);
        console.MarkupLine(Markup.Escape(
            $"{settings.Callers} callers, capacity {settings.Capacity} (503 past {2 * settings.Capacity}), latency {settings.Latency}, " +
            $"{settings.Duration.TotalSeconds:0.#} s measured per run after {settings.Warmup.TotalSeconds:0.#} s of warm-up."));
        console.MarkupLine($"Adaptive: [bold]{summary.AdaptiveRps:N0}[/] OK/s, {summary.AdaptiveErrorRate:P2} errors; best fixed ({summary.BestFixedConcurrency}): " +
            $"{summary.BestFixedRps:N0} OK/s; ratio [bold]{summary.Ratio:0.000}[/]; no limit: {summary.UnboundedErrorRate:P2} errors.");
    }
}

/// <summary>What <c>salvo bench adaptive --json</c> prints: successful responses per second, and error rates (0 to 1).</summary>
internal sealed record AdaptiveBenchResult(
    [property: JsonPropertyName("adaptive_rps")] double AdaptiveRps,
    [property: JsonPropertyName("best_fixed_rps")] double BestFixedRps,
    [property: JsonPropertyName("best_fixed_concurrency")] int BestFixedConcurrency,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("adaptive_error_rate")] double AdaptiveErrorRate,
    [property: JsonPropertyName("unbounded_error_rate")] double UnboundedErrorRate);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AdaptiveBenchResult))]
internal sealed partial class AdaptiveBenchJson : JsonSerializerContext;
