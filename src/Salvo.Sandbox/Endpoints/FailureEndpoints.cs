using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Salvo.Sandbox.Behaviors;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Endpoints;

/// <summary>
/// Broken responses on demand: <c>/truncated</c> (promises 1000 bytes, sends 10, then drops the connection) and
/// <c>/hang</c> (never answers until the client aborts or the server stops).
/// </summary>
internal sealed class FailureEndpoints(SandboxRuntime runtime)
{
    public const int TruncatedDeclaredLength = 1000;
    public const int TruncatedSentLength = 10;

    private static readonly byte[] RawTruncatedResponse = Encoding.ASCII.GetBytes(
        $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {TruncatedDeclaredLength}\r\n\r\n"
        + new string('x', TruncatedSentLength));

    public static void Map(IEndpointRouteBuilder routes, SandboxRuntime runtime)
    {
        var endpoints = new FailureEndpoints(runtime);
        routes.MapGet("/truncated", endpoints.TruncatedAsync).WithMetadata(RouteBehaviors.Helper);
        routes.MapGet("/hang", endpoints.HangAsync).WithMetadata(RouteBehaviors.Helper);
    }

    private async Task TruncatedAsync(HttpContext context)
    {
        runtime.Stats.ConnectionReset();
        // Kestrel drops output still queued when a connection is aborted, so over plain HTTP/1.1 the partial
        // response is written to the socket directly and followed by a FIN: the client reliably gets the headers
        // and 10 bytes, then a premature end of the body. Over TLS or HTTP/2 the socket cannot be shared, so the
        // bytes go through Kestrel and the abort may overtake them.
        if (!context.Request.IsHttps && context.Request.Protocol == "HTTP/1.1"
            && context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            await socket.SendAsync(RawTruncatedResponse, SocketFlags.None, context.RequestAborted);
            socket.Shutdown(SocketShutdown.Send);
            context.Abort();
            return;
        }
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = TruncatedDeclaredLength;
        await context.Response.Body.WriteAsync(RawTruncatedResponse.AsMemory(^TruncatedSentLength..), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        context.Abort();
    }

    private Task HangAsync(HttpContext context)
    {
        runtime.Stats.Hang();
        return RequestAbort.WaitAsync(context.RequestAborted);
    }
}
