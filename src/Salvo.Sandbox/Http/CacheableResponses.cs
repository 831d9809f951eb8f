using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Http;

/// <summary>Answers a cacheable GET: validators and freshness headers always, then 304 without a body or 200 with it.</summary>
internal static class CacheableResponses
{
    public static Task WriteAsync(HttpContext context, SandboxRuntime runtime, CacheableBody body, string cacheControl)
    {
        var headers = context.Response.Headers;
        var lastModified = runtime.Data.LastModified;
        headers.ETag = body.ETag;
        headers.CacheControl = cacheControl;
        headers.LastModified = HeaderUtilities.FormatDate(lastModified);
        if (ConditionalRequest.IsNotModified(context.Request, body.ETag, lastModified))
        {
            runtime.Stats.NotModified();
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        return JsonResponses.WriteBytesAsync(context, StatusCodes.Status200OK, body.Body, JsonResponses.ContentType);
    }
}
