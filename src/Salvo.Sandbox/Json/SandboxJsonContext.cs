using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Salvo.Sandbox.Data;

namespace Salvo.Sandbox.Json;

/// <summary>Source-generated serializers for every payload: camelCase, no reflection, safe to trim.</summary>
[JsonSerializable(typeof(Balance))]
[JsonSerializable(typeof(Game))]
[JsonSerializable(typeof(Game[]))]
[JsonSerializable(typeof(SportEvent))]
[JsonSerializable(typeof(SportEvent[]))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(EchoBody))]
[JsonSerializable(typeof(StatusBody))]
[JsonSerializable(typeof(SandboxStats))]
internal sealed partial class SandboxJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Web defaults, nulls omitted, and names such as "Play'n GO" or "Barça" written as they are rather than
    /// \u-escaped: the bodies are API payloads, never embedded in HTML.
    /// </summary>
    public static SandboxJsonContext Api { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
