using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Salvo.Sandbox.Behaviors;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Json;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Endpoints;

/// <summary><c>GET /user/balance</c>: private data that changes often, cacheable by its owner for 10 seconds.</summary>
internal sealed class UserEndpoints(SandboxRuntime runtime)
{
    private readonly byte[] _balance = JsonSerializer.SerializeToUtf8Bytes(runtime.Data.Balance, SandboxJsonContext.Api.Balance);

    public static void Map(IEndpointRouteBuilder routes, SandboxRuntime runtime)
    {
        var endpoints = new UserEndpoints(runtime);
        routes.MapGet("/user/balance", endpoints.BalanceAsync).WithMetadata(RouteBehaviors.Api);
    }

    private Task BalanceAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "private, max-age=10";
        return JsonResponses.WriteBytesAsync(context, StatusCodes.Status200OK, _balance, JsonResponses.ContentType);
    }
}
