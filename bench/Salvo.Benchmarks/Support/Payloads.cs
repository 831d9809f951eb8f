using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Salvo.Benchmarks.Support;

public sealed record Game(string Id, string Name, string Category, string Provider, double Rtp);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Game))]
[JsonSerializable(typeof(Game[]))]
public sealed partial class BenchJson : JsonSerializerContext;

public static class Payloads
{
    /// <summary>One game, as the Sandbox serves it (~90 bytes).</summary>
    public static readonly byte[] OneGame = Encoding.UTF8.GetBytes("""{"id":"g-001","name":"Sweet Spins","category":"slots","provider":"Pragmatic","rtp":96.5}""");

    /// <summary>A list of 50 games (~5 KB), where decoding cost shows.</summary>
    public static readonly byte[] FiftyGames = JsonSerializer.SerializeToUtf8Bytes(
        Enumerable.Range(1, 50).Select(i => new Game($"g-{i:000}", $"Game {i}", "slots", "Pragmatic", 96.5)).ToArray(),
        BenchJson.Default.GameArray);
}
