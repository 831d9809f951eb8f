using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Salvo.GraphQL;

/// <summary>
/// Reads a GraphQL response (<c>{"data":…,"errors":[…]}</c>, over HTTP or as a subscription's <c>next</c> payload):
/// typed data, or a <see cref="SalvoGraphQLException"/> with the errors and whatever data came with them.
/// </summary>
internal static class GraphQLResponseReader
{
    public static T Read<T>(JsonElement payload, JsonTypeInfo<T> dataType, string? operationName, SalvoErrorContext? context)
    {
        if (payload.ValueKind != JsonValueKind.Object)
            throw Malformed<T>($"is a JSON {payload.ValueKind}, not a GraphQL response object", payload, context);
        JsonElement? data = payload.TryGetProperty("data", out var d) && d.ValueKind != JsonValueKind.Null ? d : null;
        var errors = payload.TryGetProperty("errors", out var e) ? GraphQLErrorReader.ReadAll(e) : [];
        if (errors.Count > 0)
            throw Failed(errors, data, dataType, operationName, context);
        if (data is not { } value)
            throw Malformed<T>("has neither data nor errors", payload, context);
        try
        {
            return value.Deserialize(dataType)!;
        }
        catch (JsonException ex)
        {
            throw new SalvoDecodingException(
                $"{ErrorText.Call(context)} returned GraphQL data that does not decode as {typeof(T).Name}: {ex.Message}",
                typeof(T), "application/json", Preview(value), ex, context);
        }
    }

    public static SalvoGraphQLException Failed<T>(IReadOnlyList<GraphQLError> errors, JsonElement? data, JsonTypeInfo<T>? dataType, string? operationName, SalvoErrorContext? context)
    {
        object? partial = null;
        if (data is { } value && dataType is not null)
        {
            try
            {
                partial = value.Deserialize(dataType);
            }
            catch (JsonException)
            {
                // Failed fields are null in the data; a type that does not allow null there keeps only the raw JSON.
            }
        }
        var first = errors[0];
        var where = first.Path.Count > 0 ? $" at {first.PathText}" : "";
        var more = errors.Count > 1 ? $" (and {errors.Count - 1} more)" : "";
        var name = operationName is null ? "" : $" operation {operationName}";
        var message = $"{ErrorText.Call(context)}{name} returned GraphQL errors: {first.Message}{where}{more}{(data is null ? "" : "; partial data kept")}.";
        return new SalvoGraphQLException(message, errors, partial, data?.Clone(), operationName, context);
    }

    private static SalvoDecodingException Malformed<T>(string problem, JsonElement payload, SalvoErrorContext? context) =>
        new($"{ErrorText.Call(context)} returned a body that {problem}.", typeof(T), "application/json", Preview(payload), null, context);

    private static string Preview(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= SalvoResponseInfo.MaxPreviewBytes ? text : text[..SalvoResponseInfo.MaxPreviewBytes];
    }
}
