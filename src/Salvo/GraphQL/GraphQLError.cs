using System.Text.Json;

namespace Salvo.GraphQL;

/// <summary>One entry of a GraphQL response's <c>errors</c> array (GraphQL specification, section 7.1.2).</summary>
/// <param name="Message">What went wrong, as the server said it.</param>
/// <param name="Path">
/// The path to the field that failed, from the root of <c>data</c>: field names as <see cref="string"/> and list
/// indices as <see cref="int"/>; empty when the error is not about a field (a validation error).
/// </param>
/// <param name="Locations">Where in the document the error points; empty when the server gave none.</param>
/// <param name="Extensions">The server's extra details (e.g. <c>code</c>), or <see langword="null"/>.</param>
public sealed record GraphQLError(string Message, IReadOnlyList<object> Path, IReadOnlyList<GraphQLLocation> Locations, JsonElement? Extensions)
{
    /// <summary>The <c>extensions.code</c> string many servers set (e.g. <c>BAD_USER_INPUT</c>), or <see langword="null"/>.</summary>
    public string? Code =>
        Extensions is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
            ? code.GetString()
            : null;

    /// <summary>The path as GraphQL tools print it, e.g. <c>event.markets.0.price</c>.</summary>
    public string PathText => string.Join('.', Path);
}
