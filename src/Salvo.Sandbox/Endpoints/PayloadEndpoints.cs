using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Salvo.Sandbox.Behaviors;
using Salvo.Sandbox.Http;

namespace Salvo.Sandbox.Endpoints;

/// <summary>
/// Bodies of a chosen size or kind: <c>/bytes/{n}</c>, <c>/json/large/{n}</c>, <c>/malformed-json</c> and <c>/html</c>
/// (an HTML page with status 200, like a captive portal or a misrouted proxy answers).
/// </summary>
internal static class PayloadEndpoints
{
    public const long MaxBytes = 256L * 1024 * 1024;
    public const int MaxJsonBytes = 64 * 1024 * 1024;
    public const string MalformedJson = "{\"id\": 1, \"name\": ";

    private const int ChunkSize = 64 * 1024;

    private static readonly byte[] Html = Encoding.UTF8.GetBytes(
        "<!DOCTYPE html>\n<html><head><title>Sandbox</title></head>\n<body><h1>Welcome</h1><p>This is not JSON.</p></body></html>\n");

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/bytes/{n}", BytesAsync).WithMetadata(RouteBehaviors.Helper);
        routes.MapGet("/json/large/{n}", LargeJsonAsync).WithMetadata(RouteBehaviors.Helper);
        routes.MapGet("/malformed-json", context =>
            JsonResponses.WriteBytesAsync(context, StatusCodes.Status200OK, Encoding.UTF8.GetBytes(MalformedJson), JsonResponses.ContentType))
            .WithMetadata(RouteBehaviors.Helper);
        routes.MapGet("/html", context =>
            JsonResponses.WriteBytesAsync(context, StatusCodes.Status200OK, Html, "text/html; charset=utf-8"))
            .WithMetadata(RouteBehaviors.Helper);
    }

    private static async Task BytesAsync(HttpContext context)
    {
        if (!RouteNumber.TryGet(context, "n", 0, MaxBytes, out var n))
        {
            await JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_size", $"Use 0 to {MaxBytes} bytes.");
            return;
        }
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = n;
        var chunk = new byte[(int)Math.Min(n, ChunkSize)];
        for (var i = 0; i < chunk.Length; i++)
            chunk[i] = (byte)(i % 251);
        for (var written = 0L; written < n; written += chunk.Length)
            await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, n - written)), context.RequestAborted);
    }

    private static Task LargeJsonAsync(HttpContext context)
    {
        if (!RouteNumber.TryGet(context, "n", 0, MaxJsonBytes, out var n))
            return JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_size", $"Use 0 to {MaxJsonBytes} bytes.");
        return JsonResponses.WriteBytesAsync(context, StatusCodes.Status200OK, LargeJson((int)n), JsonResponses.ContentType);
    }

    /// <summary>A valid JSON array of small objects, stopping at the first item that reaches <paramref name="size"/> bytes.</summary>
    private static byte[] LargeJson(int size)
    {
        using var stream = new MemoryStream(size + 128);
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            for (var i = 0; writer.BytesPending + writer.BytesCommitted + 1 < size; i++)
            {
                writer.WriteStartObject();
                writer.WriteNumber("id", i);
                writer.WriteString("name", "item-" + i.ToString("000000", CultureInfo.InvariantCulture));
                writer.WriteNumber("value", i % 1000 / 10.0);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return stream.ToArray();
    }
}
