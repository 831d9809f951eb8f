using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Salvo.Sandbox.Behaviors;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Json;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Endpoints;

/// <summary>
/// <c>GET /sports/events</c> and <c>GET /sports/events/{id}</c>: live odds, so <c>Cache-Control: no-cache</c>
/// (a client may store them but must not reuse them without asking).
/// </summary>
internal sealed class EventsEndpoints
{
    private const string CacheControl = "no-cache";

    private readonly byte[] _all;
    private readonly Dictionary<string, byte[]> _byId;

    private EventsEndpoints(SandboxRuntime runtime)
    {
        var events = runtime.Data.Events;
        _all = JsonSerializer.SerializeToUtf8Bytes([.. events], SandboxJsonContext.Api.SportEventArray);
        _byId = events.ToDictionary(
            e => e.Id, e => JsonSerializer.SerializeToUtf8Bytes(e, SandboxJsonContext.Api.SportEvent), StringComparer.Ordinal);
    }

    public static void Map(IEndpointRouteBuilder routes, SandboxRuntime runtime)
    {
        var endpoints = new EventsEndpoints(runtime);
        routes.MapGet("/sports/events", endpoints.ListAsync).WithMetadata(RouteBehaviors.Api);
        routes.MapGet("/sports/events/{id}", endpoints.GetAsync).WithMetadata(RouteBehaviors.Api);
    }

    private Task ListAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = CacheControl;
        return JsonResponses.WriteBytesAsync(context, StatusCodes.Status200OK, _all, JsonResponses.ContentType);
    }

    private Task GetAsync(HttpContext context)
    {
        var id = context.Request.RouteValues["id"] as string ?? "";
        if (!_byId.TryGetValue(id, out var body))
            return JsonResponses.ErrorAsync(context, StatusCodes.Status404NotFound, "not_found", $"Event '{id}' does not exist.");
        context.Response.Headers.CacheControl = CacheControl;
        return JsonResponses.WriteBytesAsync(context, StatusCodes.Status200OK, body, JsonResponses.ContentType);
    }
}
