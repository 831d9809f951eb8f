using System.Text.Json;

namespace Salvo.Auth;

/// <summary>Finds one top-level property of a JSON object without building a document (a JWT payload, an OAuth error).</summary>
internal static class FlatJson
{
    /// <summary>Positions <paramref name="reader"/> on the value of the first top-level property named <paramref name="name"/>.</summary>
    /// <returns><see langword="false"/> when the text is not a JSON object or has no such property.</returns>
    public static bool TryFind(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name, out Utf8JsonReader reader)
    {
        reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var found = reader.ValueTextEquals(name);
                if (!reader.Read())
                    return false;
                if (found)
                    return true;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return false;
    }
}
