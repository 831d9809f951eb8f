using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Salvo.Http;

/// <summary>Serializes and decodes JSON bodies, turning every failure into a typed Salvo exception.</summary>
internal static class JsonBody
{
    /// <summary>
    /// Serializes eagerly into a byte array: the request gets a Content-Length (no chunked encoding, which
    /// some APIs reject) and can be replayed by a retry without serializing again.
    /// </summary>
    public static ByteArrayContent Create<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        byte[] bytes;
        try
        {
            bytes = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new SalvoInvalidRequestException($"The request body of type {typeof(T).Name} could not be serialized as JSON: {ex.Message}", ex);
        }
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(JsonMedia.ContentType, "utf-8");
        return content;
    }

    /// <summary>
    /// Decodes a buffered JSON body. A body declared as something other than JSON (an HTML error page, say) or
    /// an empty one is a <see cref="SalvoDecodingException"/> with a preview, never a confusing JSON error.
    /// </summary>
    public static T Decode<T>(HttpResponseMessage response, ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!JsonMedia.IsJson(mediaType))
        {
            var context = ErrorContexts.Of(response.RequestMessage);
            throw new SalvoDecodingException(
                $"{ErrorText.Call(context)} returned '{mediaType}', not JSON, for {typeof(T).Name}.",
                typeof(T), mediaType, body.IsEmpty ? null : BodyReader.Preview(body), null, context);
        }
        return Decode(body, typeInfo, mediaType, response.RequestMessage);
    }

    private static T Decode<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo, string? mediaType, HttpRequestMessage? request)
    {
        if (body.IsEmpty)
        {
            var context = ErrorContexts.Of(request);
            throw new SalvoDecodingException($"{ErrorText.Call(context)} returned an empty body; expected JSON for {typeof(T).Name}.", typeof(T), mediaType, null, null, context);
        }
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo)!;
        }
        catch (JsonException ex)
        {
            var context = ErrorContexts.Of(request);
            throw new SalvoDecodingException(
                $"{ErrorText.Call(context)} returned JSON that does not decode as {typeof(T).Name}: {ex.Message}",
                typeof(T), mediaType, BodyReader.Preview(body), ex, context);
        }
    }
}
