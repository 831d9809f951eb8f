using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Salvo.Caching;
using Salvo.Cli.Commands;
using Salvo.Concurrency;
using Salvo.Sandbox;
using Spectre.Console;

namespace Salvo.Cli.Bench;

/// <summary>
/// <c>salvo bench cache</c>: N GETs over K distinct games (<c>casino/games/{id}</c>, which the Sandbox serves with an ETag and
/// <c>max-age=300</c>) at a fixed concurrency through a <see cref="SalvoClient"/> whose cache follows the server's headers; then
/// the clock is moved past the max-age and every key is asked once more (each a conditional call answered 304); then the
/// latency of a hit is sampled from the memory tier and from the SQLite tier. Upstream requests are counted by the Sandbox.
/// </summary>
internal static class CacheBench
{
    private const string Route = "GET /casino/games/{id}";
    private const int MaxLatencySamples = 5_000;

    public static Command CreateCommand()
    {
        var requests = CliOptions.Count("--requests", "GETs in the first pass.", 10_000);
        var keys = CliOptions.Count("--keys", "Distinct games asked for (each a cache key).", 100);
        var concurrency = CliOptions.Count("--concurrency", "Requests in flight at most.", 64);
        var latency = CliOptions.Duration("--latency", "Sandbox latency per request, so identical misses overlap.", "5ms");
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("cache", "The response cache against the Sandbox's games: upstream calls saved, 304 revalidations, coalesced misses, hit latency.")
        {
            requests, keys, concurrency, latency, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var result = await RunAsync(parse.GetValue(requests), parse.GetValue(keys), parse.GetValue(concurrency), parse.GetValue(latency), ct);
            if (parse.GetValue(json))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(result, CacheBenchJson.Default.CacheBenchResult));
                return 0;
            }
            var table = new Table().AddColumn("Measure").AddColumn(new TableColumn("Value").RightAligned());
            table.AddRow("Requests sent", $"{result.Requests:N0}");
            table.AddRow("Upstream requests (counted by the Sandbox)", $"{result.UpstreamRequests:N0}");
            table.AddRow("Fresh hits", $"{result.Hits:N0}");
            table.AddRow("Revalidated (304)", $"{result.Revalidated304:N0}");
            table.AddRow("Coalesced misses", $"{result.Coalesced:N0}");
            table.AddRow("Memory hit p50 (µs)", result.MemoryHitP50Us.ToString("0.0", CultureInfo.InvariantCulture));
            table.AddRow("SQLite hit p50 (µs)", result.SqliteHitP50Us.ToString("0.0", CultureInfo.InvariantCulture));
            SalvoCli.Console(parse).Write(table);
            return 0;
        });
        return command;
    }

    public static async Task<CacheBenchResult> RunAsync(int requests, int keys, int concurrency, TimeSpan latency, CancellationToken ct)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { GameCount = Math.Max(keys, SandboxOptions.DefaultGameCount), Latency = latency > TimeSpan.Zero ? SandboxLatency.Fixed(latency) : SandboxLatency.None });
        var clock = new ShiftedTimeProvider();
        var options = new SalvoClientOptions { BaseAddress = sandbox.BaseAddress, TimeProvider = clock };
        options.Cache.Enabled = true; // the server's headers decide: ETag and max-age=300 on every game
        options.Pool.MaxConnectionsPerServer = concurrency;
        await using var client = new SalvoClient(options);

        await SendAllAsync(client, Enumerable.Range(0, requests).Select(i => Path(i % keys)), concurrency, ct);
        clock.Shift(TimeSpan.FromSeconds(301));
        await SendAllAsync(client, Enumerable.Range(0, keys).Select(Path), concurrency, ct);
        var counters = client.Cache!.Counters;
        var (hits, revalidated, coalesced) = (counters.Hits, counters.Revalidated, counters.Coalesced);
        var upstream = sandbox.GetStats().RequestsByRoute.GetValueOrDefault(Route);

        var memoryP50 = await HitP50Async(client, Math.Min(requests, MaxLatencySamples), ct);
        var sqliteP50 = await SqliteHitP50Async(sandbox.BaseAddress, Math.Min(requests, MaxLatencySamples), ct);
        return new CacheBenchResult(requests + keys, upstream, hits, revalidated, coalesced, memoryP50, sqliteP50);
    }

    private static string Path(int key) => "casino/games/g-" + (key + 1).ToString("000", CultureInfo.InvariantCulture);

    private static async Task SendAllAsync(SalvoClient client, IEnumerable<string> paths, int concurrency, CancellationToken ct)
    {
        await foreach (var outcome in paths.SelectConcurrentAsync((path, token) => client.GetBytesAsync(path, token), concurrency, ResultOrder.Completion, ct))
        {
            if (!outcome.IsSuccess)
                throw outcome.Error!;
        }
    }

    private static async Task<double> SqliteHitP50Async(Uri baseAddress, int samples, CancellationToken ct)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"salvo-bench-{Guid.NewGuid():N}.db");
        try
        {
            var options = new SalvoClientOptions { BaseAddress = baseAddress };
            options.Cache.Enabled = true;
            options.Cache.MemoryMaxBytes = 0; // every hit read from the file
            options.Cache.DatabasePath = path;
            await using var client = new SalvoClient(options);
            var p50 = await HitP50Async(client, samples, ct);
            await client.Cache!.DisposeAsync();
            return p50;
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                File.Delete(file);
        }
    }

    /// <summary>The median time of one hit through the whole client (telemetry included), warm, one call at a time.</summary>
    private static async Task<double> HitP50Async(SalvoClient client, int samples, CancellationToken ct)
    {
        const string path = "casino/games/g-001";
        await client.GetBytesAsync(path, ct);
        var times = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using (var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), ct))
            {
            }
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(times);
        return Math.Round(times[samples / 2], 1);
    }
}

/// <summary>What <c>salvo bench cache --json</c> prints.</summary>
internal sealed record CacheBenchResult(
    [property: JsonPropertyName("requests")] int Requests,
    [property: JsonPropertyName("upstream_requests")] long UpstreamRequests,
    [property: JsonPropertyName("hits")] long Hits,
    [property: JsonPropertyName("revalidated_304")] long Revalidated304,
    [property: JsonPropertyName("coalesced")] long Coalesced,
    [property: JsonPropertyName("memory_hit_p50_us")] double MemoryHitP50Us,
    [property: JsonPropertyName("sqlite_hit_p50_us")] double SqliteHitP50Us);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CacheBenchResult))]
internal sealed partial class CacheBenchJson : JsonSerializerContext;
