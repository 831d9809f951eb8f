using System.Text.Json;

namespace Salvo.GraphQL;

/// <summary>Reads GraphQL error objects by hand, tolerating servers that omit or mistype the optional members.</summary>
internal static class GraphQLErrorReader
{
    public static IReadOnlyList<GraphQLError> ReadAll(JsonElement errors)
    {
        if (errors.ValueKind != JsonValueKind.Array)
            return errors.ValueKind == JsonValueKind.Object ? [Read(errors)] : [];
        var list = new List<GraphQLError>(errors.GetArrayLength());
        foreach (var error in errors.EnumerateArray())
            list.Add(Read(error));
        return list;
    }

    public static GraphQLError Read(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
            return new GraphQLError(error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetRawText(), [], [], null);
        var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "(no message)";
        var path = new List<object>();
        if (error.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.Array)
        {
            foreach (var segment in p.EnumerateArray())
            {
                if (segment.ValueKind == JsonValueKind.Number && segment.TryGetInt32(out var index))
                    path.Add(index);
                else if (segment.ValueKind == JsonValueKind.String)
                    path.Add(segment.GetString()!);
            }
        }
        var locations = new List<GraphQLLocation>();
        if (error.TryGetProperty("locations", out var l) && l.ValueKind == JsonValueKind.Array)
        {
            foreach (var location in l.EnumerateArray())
            {
                if (location.ValueKind == JsonValueKind.Object
                    && location.TryGetProperty("line", out var line) && line.ValueKind == JsonValueKind.Number && line.TryGetInt32(out var lineNumber)
                    && location.TryGetProperty("column", out var column) && column.ValueKind == JsonValueKind.Number && column.TryGetInt32(out var columnNumber))
                    locations.Add(new GraphQLLocation(lineNumber, columnNumber));
            }
        }
        JsonElement? extensions = error.TryGetProperty("extensions", out var x) && x.ValueKind == JsonValueKind.Object ? x.Clone() : null;
        return new GraphQLError(message, path, locations, extensions);
    }
}
