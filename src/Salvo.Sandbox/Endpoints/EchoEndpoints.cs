using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Salvo.Sandbox.Behaviors;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Json;

namespace Salvo.Sandbox.Endpoints;

/// <summary>
/// <c>/echo</c> (GET, POST, PUT, PATCH, DELETE): returns what the server received, so tests can see exactly which
/// headers a client sent (Authorization included, on purpose) and on which connection.
/// </summary>
internal static class EchoEndpoints
{
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapMethods("/echo", Methods, EchoAsync).WithMetadata(RouteBehaviors.Helper);

    private static async Task EchoAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        await WriteEchoAsync(context, await reader.ReadToEndAsync(context.RequestAborted));
    }

    /// <summary>Answers 200 with what the server received: method, path, query, protocol, connection, headers and <paramref name="body"/>.</summary>
    public static Task WriteEchoAsync(HttpContext context, string body)
    {
        var request = context.Request;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var echo = new EchoBody(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", request.Protocol,
            context.Connection.Id, headers, body);
        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, echo, SandboxJsonContext.Api.EchoBody);
    }
}
