using System.Buffers;
using System.Text.Json;

namespace Salvo.GraphQL;

/// <summary>Writes GraphQL request payloads (HTTP bodies, query strings, <c>subscribe</c> messages) with the client's JSON settings.</summary>
internal static class GraphQLJson
{
    /// <summary>The payload <c>{"query":…,"variables":…,"operationName":…}</c> as UTF-8 JSON.</summary>
    public static byte[] Payload(GraphQLRequest request, JsonSerializerOptions json)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (request.Query.Length * 2));
        using (var writer = new Utf8JsonWriter(buffer))
            WritePayload(writer, request, json);
        return buffer.WrittenSpan.ToArray();
    }

    public static void WritePayload(Utf8JsonWriter writer, GraphQLRequest request, JsonSerializerOptions json)
    {
        writer.WriteStartObject();
        writer.WriteString("query", request.Query);
        if (request.Variables is not null)
        {
            writer.WritePropertyName("variables");
            WriteVariables(writer, request.Variables, json);
        }
        if (request.OperationName is not null)
            writer.WriteString("operationName", request.OperationName);
        writer.WriteEndObject();
    }

    /// <summary>The variables alone, as JSON text (for a GET query string).</summary>
    public static string Variables(object variables, JsonSerializerOptions json)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
            WriteVariables(writer, variables, json);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteVariables(Utf8JsonWriter writer, object variables, JsonSerializerOptions json)
    {
        if (variables is JsonElement element)
        {
            element.WriteTo(writer); // already JSON: no resolver needed, whatever context the client uses
            return;
        }
        try
        {
            // GetTypeInfo resolves through the client's resolver: reflection by default, a source-generated context when set.
            JsonSerializer.Serialize(writer, variables, json.GetTypeInfo(variables.GetType()));
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new SalvoInvalidRequestException($"The GraphQL variables of type {variables.GetType().Name} could not be serialized as JSON: {ex.Message}", ex);
        }
    }
}
