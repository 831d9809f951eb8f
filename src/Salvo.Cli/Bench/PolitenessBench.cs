using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Salvo.Cli.Commands;
using Salvo.Concurrency;
using Salvo.RateLimiting;
using Salvo.Sandbox;
using Spectre.Console;

namespace Salvo.Cli.Bench;

/// <summary>
/// <c>salvo bench politeness</c>: N requests at a fixed concurrency against an in-process Sandbox that enforces rate
/// limits, through a default <see cref="SalvoClient"/>, whose <see cref="RateLimitHandler"/> learns the limits from the headers, and through
/// the seeds' semaphore-and-gather approach, each against a fresh server. Salvo must draw no 429 and finish within 5% of
/// the fastest schedule the windows allow (<see cref="IdealSchedule"/>); the naive approach draws 429s.
/// </summary>
internal static class PolitenessBench
{
    private const string Path = "user/balance";

    public static Command CreateCommand()
    {
        var requests = CliOptions.Count("--requests", "Requests to send, each way.", 2_000);
        var concurrency = CliOptions.Count("--concurrency", "Requests in flight at most (the fan-out bound), each way.", 100);
        var limits = new Option<string>("--limits")
        {
            Description = "The Sandbox's rate-limit windows per caller. Default: 50/1s,300/10s.",
            DefaultValueFactory = _ => "50/1s,300/10s",
        };
        var headers = new Option<SandboxRateLimitHeaders>("--headers")
        {
            Description = "Header families the Sandbox advertises (All, GitHub, Ietf, Riot, None; None configures Salvo with --limits instead). Default: All.",
            DefaultValueFactory = _ => SandboxRateLimitHeaders.All,
        };
        var latency = new Option<string>("--latency")
        {
            Description = "Sandbox latency per request: 0, 10ms, 5ms..20ms (uniform), lognormal:10ms,p99=50ms. Default: 10ms.",
            DefaultValueFactory = _ => "10ms",
        };
        limits.Validators.Add(result => Check(result, "--limits", text => SandboxRateLimit.ParseMany(text).Count > 0 ? null : "no window"));
        latency.Validators.Add(result => Check(result, "--latency", text => SandboxLatency.Parse(text)));
        var timeout = CliOptions.Duration("--timeout", "Salvo's total budget per call (waiting for the rate limit included).", "2m");
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("politeness", "Rate limits learned from headers: Salvo against the seeds' semaphore, 429s and time against the ideal schedule.")
        {
            requests, concurrency, limits, headers, latency, timeout, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new PolitenessSettings(
                parse.GetValue(requests), parse.GetValue(concurrency), parse.GetValue(limits)!, parse.GetValue(headers),
                SandboxLatency.Parse(parse.GetValue(latency)!), parse.GetValue(timeout));
            var (result, failed) = await RunAsync(settings, ct);
            if (parse.GetValue(json))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(result, PolitenessBenchJson.Default.PolitenessBenchResult));
                return failed == 0 ? 0 : 1;
            }
            var table = new Table().AddColumn("Client").AddColumn(new TableColumn("Server 429s").RightAligned()).AddColumn(new TableColumn("Time (s)").RightAligned());
            table.AddRow("Salvo (default pipeline)", $"{result.Server429:N0}", $"{result.ElapsedSeconds:0.00}");
            table.AddRow("Seeds' semaphore + gather", $"{result.NaiveServer429:N0}", "-");
            table.AddRow("Ideal schedule", "0", $"{result.IdealSeconds:0.00}");
            var console = SalvoCli.Console(parse);
            console.Write(table);
            console.MarkupLine($"{result.Requests:N0} requests under {Markup.Escape(settings.Limits)}: efficiency [bold]{result.Efficiency:0.000}[/] of the ideal, {failed} Salvo calls failed.");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static void Check(System.CommandLine.Parsing.OptionResult result, string name, Func<string, object?> parse)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        if (text is null)
            return;
        try
        {
            if (parse(text) is string problem)
                result.AddError($"{name}: {problem}.");
        }
        catch (FormatException ex)
        {
            result.AddError($"{name}: {ex.Message}");
        }
    }

    public static async Task<(PolitenessBenchResult Result, int Failed)> RunAsync(PolitenessSettings settings, CancellationToken ct)
    {
        var windows = SandboxRateLimit.ParseMany(settings.Limits);
        var (salvo429, failed, elapsed) = await RunSalvoAsync(settings, ct);
        int naive429;
        await using (var sandbox = await StartSandboxAsync(settings))
        {
            var naive = await NaiveSemaphoreClient.RunAsync(sandbox.BaseAddress, Path, settings.Requests, settings.Concurrency, ct);
            naive429 = naive.TooMany;
        }
        var ideal = IdealSchedule.LastSendTime(settings.Requests, windows);
        var result = new PolitenessBenchResult(
            settings.Requests, salvo429, naive429, Math.Round(elapsed.TotalSeconds, 3), Math.Round(ideal.TotalSeconds, 3),
            Math.Round(elapsed > TimeSpan.Zero ? ideal / elapsed : 1, 3));
        return (result, failed);
    }

    /// <summary>A <see cref="SalvoClient"/> as a newcomer gets it (its default pipeline learns the limits from the headers), fanned out with a bound.</summary>
    private static async Task<(long Server429, int Failed, TimeSpan Elapsed)> RunSalvoAsync(PolitenessSettings settings, CancellationToken ct)
    {
        await using var sandbox = await StartSandboxAsync(settings);
        var options = new SalvoClientOptions { BaseAddress = sandbox.BaseAddress };
        options.Timeouts.Total = settings.Timeout;
        options.Pool.MaxConnectionsPerServer = settings.Concurrency;
        if (settings.Headers == SandboxRateLimitHeaders.None)
        {
            // A server that says nothing: the limits must be configured.
            options.RateLimit.Limits = settings.Limits;
            options.RateLimit.LearnFromHeaders = false;
        }
        await using var client = new SalvoClient(options);
        var failed = 0;
        var start = TimeProvider.System.GetTimestamp();
        await foreach (var outcome in Enumerable.Range(0, settings.Requests).SelectConcurrentAsync(
            (_, token) => client.GetBytesAsync(Path, token), settings.Concurrency, ResultOrder.Completion, ct))
        {
            if (!outcome.IsSuccess)
                failed++;
        }
        var elapsed = TimeProvider.System.GetElapsedTime(start);
        return (sandbox.GetStats().RateLimited429, failed, elapsed);
    }

    private static Task<SandboxServer> StartSandboxAsync(PolitenessSettings settings) => SandboxServer.StartAsync(new SandboxOptions
    {
        RateLimits = settings.Limits,
        RateLimitHeaders = settings.Headers,
        Latency = settings.Latency,
    });
}

/// <summary>The parameters of one politeness run.</summary>
internal sealed record PolitenessSettings(
    int Requests, int Concurrency, string Limits, SandboxRateLimitHeaders Headers, SandboxLatency Latency, TimeSpan Timeout);

/// <summary>What <c>salvo bench politeness --json</c> prints.</summary>
internal sealed record PolitenessBenchResult(
    [property: JsonPropertyName("requests")] int Requests,
    [property: JsonPropertyName("server_429")] long Server429,
    [property: JsonPropertyName("naive_server_429")] long NaiveServer429,
    [property: JsonPropertyName("elapsed_s")] double ElapsedSeconds,
    [property: JsonPropertyName("ideal_s")] double IdealSeconds,
    [property: JsonPropertyName("efficiency")] double Efficiency);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PolitenessBenchResult))]
internal sealed partial class PolitenessBenchJson : JsonSerializerContext;
