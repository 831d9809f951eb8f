using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Salvo.Sandbox.Json;

namespace Salvo.Sandbox.Http;

/// <summary>Writes JSON bodies with an exact <c>Content-Length</c> and <c>application/json; charset=utf-8</c>.</summary>
internal static class JsonResponses
{
    public const string ContentType = "application/json; charset=utf-8";

    public static Task WriteAsync<T>(HttpContext context, int statusCode, T value, JsonTypeInfo<T> typeInfo) =>
        WriteBytesAsync(context, statusCode, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), ContentType);

    public static Task ErrorAsync(HttpContext context, int statusCode, string error, string? message = null) =>
        WriteAsync(context, statusCode, new ErrorBody(error, message), SandboxJsonContext.Api.ErrorBody);

    public static Task WriteBytesAsync(HttpContext context, int statusCode, byte[] body, string contentType)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }
}
