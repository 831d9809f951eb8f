using System.Text.Json;
using System.Text.Json.Serialization;

namespace Salvo.Sandbox.Feed;

/// <summary>Source-generated serializers for the live feed's payloads (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PriceUpdate))]
[JsonSerializable(typeof(FeedPage))]
[JsonSerializable(typeof(FeedCounters))]
internal sealed partial class FeedJsonContext : JsonSerializerContext;
