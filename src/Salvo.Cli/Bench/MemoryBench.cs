using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Salvo.Cli.Commands;
using Salvo.Concurrency;
using Salvo.Cli.Demo;
using Spectre.Console;

namespace Salvo.Cli.Bench;

/// <summary>
/// <c>salvo bench memory</c>: a million items through <see cref="ConcurrentEnumerable.SelectConcurrentAsync{TSource, TResult}(IEnumerable{TSource}, Func{TSource, CancellationToken, Task{TResult}}, int, ResultOrder, CancellationToken)"/>
/// with a real <see cref="SalvoClient"/> on a stub transport, sampling resident memory as it goes. Memory must
/// stay flat: the helpers hold O(concurrency) items, never O(items), unlike the seeds' gather of every task.
/// </summary>
internal static class MemoryBench
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"g-001","name":"Sweet Spins","category":"slots","provider":"Pragmatic","rtp":96.5}""");

    public static Command CreateCommand()
    {
        var items = CliOptions.Count("--items", "Items to process.", 1_000_000);
        var concurrency = CliOptions.Count("--concurrency", "Concurrency bound.", 256);
        var samples = CliOptions.Count("--samples", "How many times resident memory is sampled along the way.", 10);
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("memory", "A million bounded items through SelectConcurrentAsync on a stub transport: peak RSS.")
        {
            items, concurrency, samples, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var result = await RunAsync(parse.GetValue(items), parse.GetValue(concurrency), parse.GetValue(samples), ct);
            if (parse.GetValue(json))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(result, MemoryBenchJson.Default.MemoryBenchResult));
                return result.Failed == 0 ? 0 : 1;
            }
            var table = new Table().AddColumn("Items done").AddColumn(new TableColumn("RSS (MB)").RightAligned());
            foreach (var sample in result.Samples)
                table.AddRow($"{sample.Items:N0}", $"{sample.RssMb:0.0}");
            var console = SalvoCli.Console(parse);
            console.Write(table);
            console.MarkupLine($"{result.Items:N0} items at concurrency {result.Concurrency} in {result.ElapsedSeconds:0.0} s: peak RSS [bold]{result.PeakRssMb:0.0} MB[/], {result.Failed} failed.");
            return result.Failed == 0 ? 0 : 1;
        });
        return command;
    }

    public static async Task<MemoryBenchResult> RunAsync(int items, int concurrency, int sampleCount, CancellationToken ct)
    {
        using var handler = new StubHandler(Body);
        await using var client = new SalvoClient(handler, new SalvoClientOptions { BaseAddress = new Uri("http://127.0.0.1/") });
        var every = Math.Max(1, items / sampleCount);
        var samples = new List<MemorySample>();
        long done = 0, failed = 0;
        var start = Stopwatch.GetTimestamp();
        await foreach (var result in Enumerable.Range(0, items).SelectConcurrentAsync(
            (i, token) => Fetch(i, token), concurrency, ResultOrder.Completion, ct))
        {
            if (!result.IsSuccess)
                failed++;
            if (++done % every == 0)
                samples.Add(new MemorySample(done, Math.Round(ProcessMemory.CurrentRss() / 1048576.0, 1)));
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new MemoryBenchResult(items, concurrency, failed, Math.Round(elapsed.TotalSeconds, 2),
            Math.Round(ProcessMemory.PeakRss() / 1048576.0, 1), samples);

        Task<Game> Fetch(int i, CancellationToken token) => client.GetJsonAsync($"casino/games/{i}", MemoryBenchJson.Default.Game, token);
    }
}

/// <summary>Resident memory after a number of items.</summary>
internal sealed record MemorySample([property: JsonPropertyName("items")] long Items, [property: JsonPropertyName("rss_mb")] double RssMb);

/// <summary>What <c>salvo bench memory --json</c> prints.</summary>
internal sealed record MemoryBenchResult(
    [property: JsonPropertyName("items")] int Items,
    [property: JsonPropertyName("concurrency")] int Concurrency,
    [property: JsonPropertyName("failed")] long Failed,
    [property: JsonPropertyName("elapsed_s")] double ElapsedSeconds,
    [property: JsonPropertyName("peak_rss_mb")] double PeakRssMb,
    [property: JsonPropertyName("samples")] IReadOnlyList<MemorySample> Samples);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MemoryBenchResult))]
[JsonSerializable(typeof(Demo.Game))]
internal sealed partial class MemoryBenchJson : JsonSerializerContext;
