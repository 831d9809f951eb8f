using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Salvo.Cli.Commands;
using Salvo.Concurrency;
using Salvo.Sandbox;
using Spectre.Console;

namespace Salvo.Cli.Bench;

/// <summary>
/// <c>salvo bench chaos</c>: thousands of calls through the <em>default</em> pipeline against a Sandbox that fails on
/// purpose (5xx, connection resets, hung responses, 429 bursts without warning). Every call must end exactly once, in a
/// result or a typed <see cref="SalvoException"/>, and never later than its total budget allows.
/// </summary>
internal static class ChaosBench
{
    public static Command CreateCommand()
    {
        var requests = CliOptions.Count("--requests", "Calls to make.", 10_000);
        var concurrency = CliOptions.Count("--concurrency", "Calls in flight at once.", 64);
        var faultRate = CliOptions.Rate("--fault-rate", "Share of requests answered 500/502/503/504.", 0.10);
        var resetRate = CliOptions.Rate("--reset-rate", "Share of requests whose connection is reset.", 0.02);
        var hangRate = CliOptions.Rate("--hang-rate", "Share of requests that never get a response.", 0.005);
        var burstEvery = CliOptions.Duration("--burst-every", "How often a 429 burst (Retry-After, no warning headers) begins.", "3s");
        var burstLength = CliOptions.Duration("--burst-length", "How long each 429 burst lasts.", "200ms");
        var latency = new Option<string>("--latency") { Description = "Sandbox latency per request (see salvo sandbox --latency). Default: 2ms.", DefaultValueFactory = _ => "2ms" };
        var total = CliOptions.Duration("--total", "Each call's total time budget (Timeouts.Total).", "10s");
        var attempt = CliOptions.Duration("--attempt", "Each attempt's budget (Timeouts.Attempt): what a hung response costs.", "1s");
        var seed = CliOptions.Count("--seed", "Seed of the Sandbox's random failures.", 42, min: 0);
        var noRateLimiter = new Option<bool>("--no-rate-limiter") { Description = "Leave the rate limiter out (to see what its pause after a 429 saves)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("chaos", "Calls through the default pipeline against injected 5xx, resets, hangs and 429 bursts: nothing lost, nothing untyped, nothing late.")
        {
            requests, concurrency, faultRate, resetRate, hangRate, burstEvery, burstLength, latency, total, attempt, seed, noRateLimiter, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new ChaosSettings(
                parse.GetValue(requests), parse.GetValue(concurrency), parse.GetValue(faultRate), parse.GetValue(resetRate), parse.GetValue(hangRate),
                parse.GetValue(burstEvery), parse.GetValue(burstLength), parse.GetValue(latency) ?? "2ms", parse.GetValue(total), parse.GetValue(attempt), parse.GetValue(seed),
                RateLimiter: !parse.GetValue(noRateLimiter));
            var result = await RunAsync(settings, ct);
            var ok = result.UntypedErrors == 0 && result.Lost == 0 && result.Duplicated == 0;
            if (parse.GetValue(json))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(result, ChaosBenchJson.Default.ChaosBenchResult));
                return ok ? 0 : 1;
            }
            var console = SalvoCli.Console(parse);
            var table = new Table().AddColumn("Measure").AddColumn(new TableColumn("Value").RightAligned());
            table.AddRow("Calls", $"{result.Requests:N0}");
            table.AddRow("Succeeded", $"{result.Succeeded:N0} ({100.0 * result.Succeeded / result.Requests:0.###} %)");
            table.AddRow("Failed with a typed error", $"{result.FailedTyped:N0}");
            table.AddRow("Untyped errors / lost / duplicated", $"{result.UntypedErrors} / {result.Lost} / {result.Duplicated}");
            table.AddRow("Worst overrun of the total budget", $"{result.MaxOverBudgetMs:0.#} ms");
            table.AddRow("Requests the server saw", $"{result.ServerRequests:N0} (faults {result.Faults:N0}, resets {result.Resets:N0}, hangs {result.Hangs:N0}, burst 429s {result.Burst429:N0})");
            table.AddRow("Elapsed", $"{result.ElapsedSeconds:0.0} s");
            foreach (var (kind, count) in result.Failures)
                table.AddRow($"  {Markup.Escape(kind)}", $"{count:N0}");
            console.Write(table);
            return ok ? 0 : 1;
        });
        return command;
    }

    public static async Task<ChaosBenchResult> RunAsync(ChaosSettings s, CancellationToken ct)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Latency = SandboxLatency.Parse(s.Latency), Seed = s.Seed }, ct);
        // The default pipeline, as a newcomer gets it: only the budgets are the scenario's (and, on request, no rate limiter).
        var options = new SalvoClientOptions { BaseAddress = sandbox.BaseAddress };
        options.Timeouts.Total = s.Total;
        options.Timeouts.Attempt = s.Attempt;
        options.RateLimit.Enabled = s.RateLimiter;
        await using var client = new SalvoClient(options);

        // Warm up on a healthy server (JIT first, one call alone; then the connections), so what is measured is chaos, not a
        // cold start: a first wave of calls slower than the attempt budget would open the circuit before the chaos begins.
        await CallAsync(client, 0, ct);
        await foreach (var _ in Enumerable.Range(0, s.Concurrency * 4).SelectConcurrentAsync((i, token) => CallAsync(client, i, token), s.Concurrency, ResultOrder.Completion, ct))
        {
        }
        sandbox.ResetStats();
        sandbox.Options.FaultRate = s.FaultRate;
        sandbox.Options.ResetRate = s.ResetRate;
        sandbox.Options.HangRate = s.HangRate;
        sandbox.Options.BurstLength = s.BurstLength;
        sandbox.Options.BurstInterval = s.BurstEvery;

        var ends = new int[s.Requests];
        long succeeded = 0, typed = 0, untyped = 0;
        var worstOver = TimeSpan.Zero;
        var failures = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var start = Stopwatch.GetTimestamp();
        await foreach (var result in Enumerable.Range(0, s.Requests).SelectConcurrentAsync(
            (i, token) => CallAsync(client, i, token), s.Concurrency, ResultOrder.Completion, ct))
        {
            // The selector never throws (it captures every outcome), so a failed item here is a defect of the helper.
            if (!result.IsSuccess)
            {
                untyped++;
                continue;
            }
            var call = result.Value;
            ends[call.Index]++; // the consumer loop is one thread
            if (call.Kind is { } kind)
                failures[kind] = failures.GetValueOrDefault(kind) + 1;
            switch (call.Outcome)
            {
                case CallOutcome.Succeeded: succeeded++; break;
                case CallOutcome.Typed: typed++; break;
                default: untyped++; break;
            }
            var over = call.Elapsed - s.Total;
            if (over > worstOver)
                worstOver = over;
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        var lost = ends.Count(n => n == 0);
        var duplicated = ends.Count(n => n > 1);
        var stats = sandbox.GetStats();
        return new ChaosBenchResult(
            s.Requests, succeeded, typed, untyped, lost, duplicated, Math.Round(worstOver.TotalMilliseconds, 1),
            stats.TotalRequests, stats.FaultsInjected, stats.ConnectionResets, stats.Hangs, stats.BurstRejected429, Math.Round(elapsed.TotalSeconds, 2), failures);
    }

    private static async Task<ChaosCall> CallAsync(SalvoClient client, int i, CancellationToken ct)
    {
        var begun = Stopwatch.GetTimestamp();
        CallOutcome outcome;
        string? kind = null;
        try
        {
            var game = await client.GetJsonAsync($"casino/games/g-{(i % 200) + 1:000}", ChaosBenchJson.Default.Game, ct).ConfigureAwait(false);
            outcome = game.Id.Length > 0 ? CallOutcome.Succeeded : CallOutcome.Untyped;
        }
        catch (SalvoException ex)
        {
            outcome = CallOutcome.Typed;
            kind = ex is SalvoHttpException http ? $"{ex.GetType().Name} {(int?)http.StatusCode}" : ex.GetType().Name;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            outcome = CallOutcome.Untyped; // exactly what must never happen: counted, not hidden
            kind = ex.GetType().Name;
        }
        return new ChaosCall(i, outcome, kind, Stopwatch.GetElapsedTime(begun));
    }

    private enum CallOutcome
    {
        Succeeded,
        Typed,
        Untyped,
    }

    private readonly record struct ChaosCall(int Index, CallOutcome Outcome, string? Kind, TimeSpan Elapsed);
}

/// <summary>The parameters of <c>salvo bench chaos</c>.</summary>
internal sealed record ChaosSettings(
    int Requests, int Concurrency, double FaultRate, double ResetRate, double HangRate, TimeSpan BurstEvery, TimeSpan BurstLength,
    string Latency, TimeSpan Total, TimeSpan Attempt, int Seed, bool RateLimiter = true);

/// <summary>What <c>salvo bench chaos --json</c> prints: the fields first, then what the server saw.</summary>
internal sealed record ChaosBenchResult(
    [property: JsonPropertyName("requests")] int Requests,
    [property: JsonPropertyName("succeeded")] long Succeeded,
    [property: JsonPropertyName("failed_typed")] long FailedTyped,
    [property: JsonPropertyName("untyped_errors")] long UntypedErrors,
    [property: JsonPropertyName("lost")] int Lost,
    [property: JsonPropertyName("duplicated")] int Duplicated,
    [property: JsonPropertyName("max_over_budget_ms")] double MaxOverBudgetMs,
    [property: JsonPropertyName("server_requests")] long ServerRequests,
    [property: JsonPropertyName("faults")] long Faults,
    [property: JsonPropertyName("resets")] long Resets,
    [property: JsonPropertyName("hangs")] long Hangs,
    [property: JsonPropertyName("burst_429")] long Burst429,
    [property: JsonPropertyName("elapsed_s")] double ElapsedSeconds,
    [property: JsonPropertyName("failures")] IReadOnlyDictionary<string, long> Failures);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChaosBenchResult))]
[JsonSerializable(typeof(Demo.Game))]
internal sealed partial class ChaosBenchJson : JsonSerializerContext;
