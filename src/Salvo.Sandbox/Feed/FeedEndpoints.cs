using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Salvo.Sandbox.Behaviors;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Feed;

/// <summary>
/// The live odds feed three ways: <c>GET /feed/odds/stream</c> (server-sent events, ids = sequence numbers, replay after
/// <c>Last-Event-ID</c>), <c>GET /feed/odds/ws</c> (a WebSocket of JSON messages) and <c>GET /feed/odds?after=N</c>
/// (polling). Control: <c>GET /_sandbox/feed</c> (counters) and <c>POST /_sandbox/feed/drop</c> (cut every stream).
/// </summary>
internal sealed class FeedEndpoints(SandboxRuntime runtime)
{
    private static readonly RouteBehaviors Stream = new(SandboxBehaviors.Count | SandboxBehaviors.Auth | SandboxBehaviors.RateLimit | SandboxBehaviors.Latency);

    private LiveFeed Feed => runtime.Feed;

    public static void Map(IEndpointRouteBuilder routes, SandboxRuntime runtime)
    {
        var endpoints = new FeedEndpoints(runtime);
        routes.MapGet("/feed/odds", endpoints.PollAsync).WithMetadata(RouteBehaviors.Api);
        routes.MapGet("/feed/odds/stream", endpoints.EventStreamAsync).WithMetadata(Stream);
        routes.MapGet("/feed/odds/ws", endpoints.WebSocketAsync).WithMetadata(Stream);
        routes.MapGet("/_sandbox/feed", endpoints.CountersAsync).WithMetadata(RouteBehaviors.Control);
        routes.MapPost("/_sandbox/feed/drop", endpoints.Drop).WithMetadata(RouteBehaviors.Control);
    }

    private Task PollAsync(HttpContext context)
    {
        if (!TryAfter(context.Request.Query["after"], out var after))
            return JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_request", "after must be a whole number.");
        context.Response.Headers.CacheControl = "no-store";
        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, Feed.Poll(after), FeedJsonContext.Default.FeedPage);
    }

    private async Task EventStreamAsync(HttpContext context)
    {
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        _ = TryAfter(lastEventId.Length > 0 ? lastEventId : context.Request.Query["lastEventId"], out var after);
        var (reader, subscription) = Feed.Subscribe(after);
        using (subscription)
        {
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, runtime.Stopping, Feed.DropToken);
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            await response.StartAsync(ended.Token);
            var body = response.BodyWriter;
            try
            {
                // A comment first, so the client sees the stream open before the next update.
                await body.WriteAsync(": odds feed\n\n"u8.ToArray(), ended.Token);
                await foreach (var update in reader.ReadAllAsync(ended.Token))
                {
                    var json = JsonSerializer.SerializeToUtf8Bytes(update, FeedJsonContext.Default.PriceUpdate);
                    var head = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"id: {update.Seq}\nevent: odds\ndata: "));
                    body.Write(head);
                    body.Write(json);
                    body.Write("\n\n"u8);
                    await body.FlushAsync(ended.Token);
                }
            }
            catch (OperationCanceledException) when (ended.IsCancellationRequested)
            {
                // The client left, the server is stopping, or the test cut the stream.
            }
            if (!context.RequestAborted.IsCancellationRequested)
                context.Abort(); // a dropped or slow stream ends like a broken connection, not a clean end of stream
        }
    }

    private async Task WebSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_request", "This endpoint speaks WebSocket only.");
            return;
        }
        _ = TryAfter(context.Request.Query["after"], out var after);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var (reader, subscription) = Feed.Subscribe(after);
        using (subscription)
        {
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, runtime.Stopping, Feed.DropToken);
            var closing = WatchForCloseAsync(socket, ended);
            try
            {
                await foreach (var update in reader.ReadAllAsync(ended.Token))
                {
                    var json = JsonSerializer.SerializeToUtf8Bytes(update, FeedJsonContext.Default.PriceUpdate);
                    await socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, ended.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                // The client closed or left, the server is stopping, or the test cut the stream.
            }
            if (socket.State == WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            else
                socket.Abort();
            await closing;
        }
    }

    /// <summary>Reads (and discards) what the client sends, so its close frame ends the stream.</summary>
    private static async Task WatchForCloseAsync(WebSocket socket, CancellationTokenSource ended)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, ended.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                    break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
        await ended.CancelAsync();
    }

    private Task CountersAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, Feed.Counters, FeedJsonContext.Default.FeedCounters);
    }

    private Task Drop(HttpContext context)
    {
        Feed.DropConnections();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static bool TryAfter(string? text, out long? after)
    {
        after = null;
        if (string.IsNullOrEmpty(text))
            return true;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return false;
        after = value;
        return true;
    }
}
