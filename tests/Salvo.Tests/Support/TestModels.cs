using System.Text.Json;
using System.Text.Json.Serialization;

namespace Salvo.Tests.Support;

public sealed record Game(string Id, string Name);

public sealed record NewBet(string GameId, decimal Amount);

public sealed record BetReceipt(string Id, decimal Amount);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Game))]
[JsonSerializable(typeof(Game[]))]
[JsonSerializable(typeof(NewBet))]
[JsonSerializable(typeof(BetReceipt))]
public sealed partial class TestJson : JsonSerializerContext;
