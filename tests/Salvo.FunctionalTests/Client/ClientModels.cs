using System.Text.Json;
using System.Text.Json.Serialization;

namespace Salvo.FunctionalTests.Client;

public sealed record Money(decimal Amount, string Currency);

public sealed record Balance(Money Available, Money Vault);

public sealed record Game(string Id, string Name, string Category, string Provider, double Rtp);

public sealed record SportEvent(string Id, string Sport, string Home, string Away);

public sealed record Echo(string Method, string Path, Dictionary<string, string> Headers);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Balance))]
[JsonSerializable(typeof(Game))]
[JsonSerializable(typeof(Game[]))]
[JsonSerializable(typeof(SportEvent))]
[JsonSerializable(typeof(SportEvent[]))]
[JsonSerializable(typeof(Echo))]
public sealed partial class ClientJson : JsonSerializerContext;
