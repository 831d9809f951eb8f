using System.Text.Json;
using System.Text.Json.Serialization;

namespace Salvo.Cli.Demo;

/// <summary>An amount of one currency.</summary>
internal sealed record Money(decimal Amount, string Currency);

/// <summary>The Sandbox's <c>GET /user/balance</c>.</summary>
internal sealed record Balance(Money Available, Money Vault);

/// <summary>The Sandbox's casino game.</summary>
internal sealed record Game(string Id, string Name, string Category, string Provider, double Rtp);

/// <summary>Decimal odds of a match.</summary>
internal sealed record Odds(double Home, double Draw, double Away);

/// <summary>The Sandbox's sports event.</summary>
internal sealed record SportEvent(string Id, string Sport, string Home, string Away, DateTimeOffset StartsAt, Odds Odds);

/// <summary>Source-generated JSON metadata: fast, and safe to trim.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Balance))]
[JsonSerializable(typeof(Game))]
[JsonSerializable(typeof(Game[]))]
[JsonSerializable(typeof(SportEvent))]
[JsonSerializable(typeof(SportEvent[]))]
internal sealed partial class DemoJson : JsonSerializerContext;
