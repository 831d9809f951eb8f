namespace Salvo.Http;

/// <summary>Recognises JSON media types: application/json, text/json and any +json suffix.</summary>
internal static class JsonMedia
{
    public const string ContentType = "application/json";

    public static bool IsJson(string? mediaType) =>
        mediaType is null
        || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
}
