using System.Text.Json.Serialization;

namespace Salvo.Cli.Demo;

/// <summary>One row of the demo table: the same requests done the slow way and the Salvo way.</summary>
internal sealed record ScenarioResult(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("requests")] int Requests,
    [property: JsonPropertyName("sequential_ms")] double SequentialMs,
    [property: JsonPropertyName("concurrent_ms")] double ConcurrentMs,
    [property: JsonPropertyName("speedup")] double Speedup,
    [property: JsonPropertyName("baseline")] string Baseline,
    [property: JsonPropertyName("improved")] string Improved);

/// <summary>What the demo's pooled client saw, from <see cref="SalvoClient.Stats"/> and the Sandbox's counters.</summary>
internal sealed record ClientSummary(
    [property: JsonPropertyName("calls")] long Calls,
    [property: JsonPropertyName("p50_ms")] double P50Ms,
    [property: JsonPropertyName("p99_ms")] double P99Ms,
    [property: JsonPropertyName("connections_opened")] long ConnectionsOpened);

/// <summary>The whole demo run, as printed by <c>salvo demo --json</c>.</summary>
internal sealed record DemoReport(
    [property: JsonPropertyName("latency_ms")] double LatencyMs,
    [property: JsonPropertyName("connect_latency_ms")] double ConnectLatencyMs,
    [property: JsonPropertyName("scenarios")] IReadOnlyList<ScenarioResult> Scenarios,
    [property: JsonPropertyName("client")] ClientSummary Client,
    [property: JsonPropertyName("realtime")] Bench.RealtimeHeadline? Realtime = null)
{
    /// <summary>The whole real-time-versus-polling result, for the table (the JSON carries its headline).</summary>
    [JsonIgnore]
    public Bench.RealtimeResult? RealtimeDetail { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(DemoReport))]
internal sealed partial class DemoReportJson : JsonSerializerContext;
