using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Salvo.Telemetry;

namespace Salvo.Realtime;

/// <summary>
/// A client WebSocket opened through the <see cref="SalvoClient"/>'s pipeline (so the handshake is rate limited, measured
/// and authenticated like any request), with whole-message JSON receive bounded in size and sends serialized.
/// </summary>
internal sealed class WebSocketChannel : IDisposable
{
    private static readonly TimeSpan CloseLimit = TimeSpan.FromSeconds(2);

    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly int _maxMessageSize;

    private WebSocketChannel(ClientWebSocket socket, int maxMessageSize)
    {
        _socket = socket;
        _maxMessageSize = maxMessageSize;
    }

    public WebSocketState State => _socket.State;

    public string? SubProtocol => _socket.SubProtocol;

    /// <summary>The close code and reason the server sent, once it sent them.</summary>
    public (int? Status, string? Description) Close => ((int?)_socket.CloseStatus, _socket.CloseStatusDescription);

    public static async Task<WebSocketChannel> ConnectAsync(
        SalvoClient client, SalvoClientOptions options, Uri url, string? subProtocol, TimeSpan keepAlive, int maxMessageSize, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            if (subProtocol is not null)
                socket.Options.AddSubProtocol(subProtocol);
            socket.Options.KeepAliveInterval = keepAlive;
            if (keepAlive > TimeSpan.Zero)
                socket.Options.KeepAliveTimeout = keepAlive;
            foreach (var (name, value) in options.DefaultHeaders)
                socket.Options.SetRequestHeader(name, value);
            if (options.UserAgent is { } agent && !options.DefaultHeaders.ContainsKey("User-Agent"))
                socket.Options.SetRequestHeader("User-Agent", agent);
            socket.Options.CollectHttpResponseDetails = true;
            try
            {
                await socket.ConnectAsync(url, client.Invoker, cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException ex) when (socket.HttpStatusCode is var status && (int)status is >= 400 and < 600)
            {
                throw Refused(url, status, ex);
            }
            return new WebSocketChannel(socket, maxMessageSize);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The server answered the upgrade with an HTTP error: transient for 408, 429 and 5xx, as for any call.</summary>
    private static SalvoRealtimeException Refused(Uri url, System.Net.HttpStatusCode status, Exception inner)
    {
        var code = (int)status;
        var shown = Redact(url);
        return new SalvoRealtimeException(
            $"GET {shown} answered {code} {status} instead of switching to WebSocket.", shown,
            isTransient: code is 408 or 429 or >= 500, innerException: inner);
    }

    /// <summary>Receives one whole text message as JSON; <see langword="null"/> when the server closed the socket.</summary>
    /// <exception cref="SalvoRealtimeException">The message is larger than allowed, binary, or not JSON.</exception>
    public async ValueTask<JsonElement?> ReceiveAsync(string url, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        while (true)
        {
            var memory = _buffer.GetMemory(4096);
            var result = await _socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await AnswerCloseAsync().ConfigureAwait(false);
                return null;
            }
            _buffer.Advance(result.Count);
            if (_buffer.WrittenCount > _maxMessageSize)
            {
                await CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too big").ConfigureAwait(false);
                throw new SalvoRealtimeException($"A message on {url} is larger than {_maxMessageSize} bytes; the socket was closed.", url, (int)WebSocketCloseStatus.MessageTooBig);
            }
            if (result.EndOfMessage)
                break;
        }
        try
        {
            var reader = new Utf8JsonReader(_buffer.WrittenSpan);
            return JsonElement.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new SalvoRealtimeException($"A message on {url} is not JSON: {ex.Message}", url, innerException: ex);
        }
    }

    /// <summary>Sends one text message; sends are serialized (a WebSocket allows one at a time).</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Starts a clean close (sends the close frame); the receive loop then sees the server's answer. Never throws.</summary>
    public async ValueTask CloseAsync(WebSocketCloseStatus status, string description)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return;
        try
        {
            // A safety bound on I/O during shutdown, on the real clock on purpose: a close must not wait for a test's
            // fake clock to move, and a healthy socket sends its close frame at once.
            using var timeout = new CancellationTokenSource(CloseLimit);
            await _send.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                await _socket.CloseOutputAsync(status, description, timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _send.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            _socket.Abort();
        }
    }

    /// <summary>Drops the connection at once (a dead peer, or shutting down).</summary>
    public void Abort() => _socket.Abort();

    public void Dispose()
    {
        _socket.Dispose();
        _send.Dispose();
    }

    private ValueTask AnswerCloseAsync() =>
        _socket.State == WebSocketState.CloseReceived ? CloseAsync(WebSocketCloseStatus.NormalClosure, "") : ValueTask.CompletedTask;

    /// <summary>The URL as errors and events show it.</summary>
    public static string Redact(Uri url) => Redaction.RedactUrl(url) ?? "";
}
