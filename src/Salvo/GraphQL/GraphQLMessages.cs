using System.Buffers;
using System.Text.Json;

namespace Salvo.GraphQL;

/// <summary>The client's messages of the <c>graphql-transport-ws</c> protocol (github.com/enisdenjo/graphql-ws, PROTOCOL.md).</summary>
internal static class GraphQLMessages
{
    public static readonly byte[] Ping = """{"type":"ping"}"""u8.ToArray();
    public static readonly byte[] Pong = """{"type":"pong"}"""u8.ToArray();

    public static byte[] ConnectionInit(JsonElement? payload) => Write(writer =>
    {
        writer.WriteString("type", "connection_init");
        if (payload is { } p && p.ValueKind != JsonValueKind.Undefined)
        {
            writer.WritePropertyName("payload");
            p.WriteTo(writer);
        }
    });

    public static byte[] Subscribe(GraphQLSubscription subscription) => Write(writer =>
    {
        writer.WriteString("id", subscription.Id);
        writer.WriteString("type", "subscribe");
        writer.WritePropertyName("payload");
        writer.WriteRawValue(subscription.Payload, skipInputValidation: true);
    });

    public static byte[] Complete(string id) => Write(writer =>
    {
        writer.WriteString("id", id);
        writer.WriteString("type", "complete");
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
