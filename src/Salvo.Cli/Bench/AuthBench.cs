using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Salvo.Auth;
using Salvo.Cli.Commands;
using Salvo.Concurrency;
using Salvo.Sandbox;
using Spectre.Console;

namespace Salvo.Cli.Bench;

/// <summary>
/// <c>salvo bench auth</c>: thousands of calls through the default pipeline with OAuth 2.0 client credentials against a
/// Sandbox whose tokens live a fraction of the run, so the token expires many times while hundreds of calls are in
/// flight. Pass: no call fails, and the token endpoint is asked at most once per expiry plus the first fetch.
/// </summary>
/// <remarks>
/// Expiries are counted by the credential: a token counts once, when it reaches its refresh point (expiry minus the
/// skew, capped at a tenth of its life) or is refused with 401 while current. Token requests are counted by the
/// Sandbox, so a herd of refreshes would show there however the client counted. The Sandbox's latency applies to the
/// token endpoint too, so each refresh takes as long as a call.
/// </remarks>
internal static class AuthBench
{
    public static Command CreateCommand()
    {
        var requests = CliOptions.Count("--requests", "Calls to make.", 5000);
        var concurrency = CliOptions.Count("--concurrency", "Calls in flight at once.", 200);
        var lifetime = CliOptions.Duration("--token-lifetime", "How long each token the Sandbox issues is valid (expires_in).", "250ms");
        var latency = new Option<string>("--latency") { Description = "Sandbox latency per request, token requests included (see salvo sandbox --latency). Default: 100ms.", DefaultValueFactory = _ => "100ms" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("auth", "Calls with OAuth client credentials while the token keeps expiring: none fails, one token request per expiry.")
        {
            requests, concurrency, lifetime, latency, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(lifetime) <= TimeSpan.Zero)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("salvo bench auth: --token-lifetime must be positive.");
                return 2;
            }
            var result = await RunAsync(parse.GetValue(requests), parse.GetValue(concurrency), parse.GetValue(lifetime), parse.GetValue(latency) ?? "100ms", ct);
            var ok = result.Summary.Failed == 0 && result.Summary.TokenRequests <= result.Summary.TokenExpiries + 1;
            if (parse.GetValue(json))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(result.Summary, AuthBenchJson.Default.AuthBenchResult));
                return ok ? 0 : 1;
            }
            var s = result.Summary;
            var table = new Table().AddColumn("Measure").AddColumn(new TableColumn("Value").RightAligned());
            table.AddRow("Calls", $"{s.Requests:N0} ({s.Failed:N0} failed)");
            table.AddRow("Token lifetime / elapsed", $"{result.Lifetime.TotalMilliseconds:0} ms / {result.ElapsedSeconds:0.00} s");
            table.AddRow("Token expiries (client)", $"{s.TokenExpiries:N0}");
            table.AddRow("Token requests (server)", $"{s.TokenRequests:N0} (at most expiries + 1: {(s.TokenRequests <= s.TokenExpiries + 1 ? "yes" : "NO")})");
            table.AddRow("401s answered (server) / replayed (client)", $"{result.Server401:N0} / {s.Replayed401:N0}");
            foreach (var (kind, count) in result.Failures)
                table.AddRow($"  {Markup.Escape(kind)}", $"{count:N0}");
            SalvoCli.Console(parse).Write(table);
            return ok ? 0 : 1;
        });
        return command;
    }

    public static async Task<AuthBenchRun> RunAsync(int requests, int concurrency, TimeSpan lifetime, string latency, CancellationToken ct)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TokenLifetime = lifetime, Latency = SandboxLatency.Parse(latency) }, ct);
        // The default refresh settings, as a newcomer gets them: 60 s skew, capped at a tenth of these short lives.
        using var auth = SalvoAuth.ClientCredentials(new Uri(sandbox.BaseAddress, "auth/token"), SandboxOptions.DefaultClientId, SandboxOptions.DefaultClientSecret);
        await using var client = new SalvoClient(new SalvoClientOptions { BaseAddress = sandbox.BaseAddress, Auth = auth });

        long failed = 0;
        var failures = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var start = Stopwatch.GetTimestamp();
        await foreach (var call in Enumerable.Range(0, requests).SelectConcurrentAsync(
            (_, token) => client.GetStringAsync("user/balance", token), concurrency, ResultOrder.Completion, ct))
        {
            if (call.IsSuccess)
                continue;
            failed++;
            var kind = call.Error is SalvoHttpException http ? $"{http.GetType().Name} {(int?)http.StatusCode}" : call.Error?.GetType().Name ?? "unknown";
            failures[kind] = failures.GetValueOrDefault(kind) + 1;
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        var stats = sandbox.GetStats();
        var summary = new AuthBenchResult(requests, auth.Counters.TokensExpired + auth.Counters.TokensRejected, stats.TokenRequests, failed, auth.Counters.Replayed401);
        return new AuthBenchRun(summary, lifetime, Math.Round(elapsed.TotalSeconds, 2), stats.Unauthorized401, failures);
    }
}

/// <summary>What <c>salvo bench auth --json</c> prints: exactly the issue's five numbers.</summary>
internal sealed record AuthBenchResult(
    [property: JsonPropertyName("requests")] int Requests,
    [property: JsonPropertyName("token_expiries")] long TokenExpiries,
    [property: JsonPropertyName("token_requests")] long TokenRequests,
    [property: JsonPropertyName("failed")] long Failed,
    [property: JsonPropertyName("replayed_401")] long Replayed401);

/// <summary>The summary plus what the table shows besides.</summary>
internal sealed record AuthBenchRun(AuthBenchResult Summary, TimeSpan Lifetime, double ElapsedSeconds, long Server401, IReadOnlyDictionary<string, long> Failures);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AuthBenchResult))]
internal sealed partial class AuthBenchJson : JsonSerializerContext;
