using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Salvo.Sandbox.Behaviors;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Json;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Endpoints;

/// <summary><c>GET /_sandbox/stats</c> and <c>POST /_sandbox/reset</c>: never counted, delayed, limited or failed.</summary>
internal sealed class ControlEndpoints(SandboxRuntime runtime)
{
    public static void Map(IEndpointRouteBuilder routes, SandboxRuntime runtime)
    {
        var endpoints = new ControlEndpoints(runtime);
        routes.MapGet("/_sandbox/stats", endpoints.StatsAsync).WithMetadata(RouteBehaviors.Control);
        routes.MapPost("/_sandbox/reset", endpoints.Reset).WithMetadata(RouteBehaviors.Control);
    }

    private Task StatsAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, runtime.Stats.Snapshot(), SandboxJsonContext.Api.SandboxStats);
    }

    private Task Reset(HttpContext context)
    {
        runtime.Stats.Reset();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }
}
