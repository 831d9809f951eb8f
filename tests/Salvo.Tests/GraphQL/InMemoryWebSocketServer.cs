using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Salvo.Tests.GraphQL;

/// <summary>
/// A transport that answers WebSocket upgrades in memory: each handshake gets a 101 whose body is one end of a pair of
/// pipes, and the test scripts the server's end (<see cref="NextAsync"/>). No sockets, so a fake clock drives every timer.
/// </summary>
internal sealed class InMemoryWebSocketServer(string? subProtocol = "graphql-transport-ws") : HttpMessageHandler
{
    private readonly Channel<ServerSocket> _accepted = Channel.CreateUnbounded<ServerSocket>();

    public int Handshakes { get; private set; }

    /// <summary>The server's end of the next connection the client opens.</summary>
    public async Task<ServerSocket> NextAsync() => await _accepted.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Handshakes++;
        var key = request.Headers.GetValues("Sec-WebSocket-Key").Single();
        var toClient = new Pipe();
        var toServer = new Pipe();
        var response = new HttpResponseMessage(HttpStatusCode.SwitchingProtocols)
        {
            RequestMessage = request,
            Content = new ConnectionContent(new Duplex(toClient.Reader, toServer.Writer)),
        };
        response.Headers.Connection.Add("Upgrade");
        response.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        response.Headers.Add("Sec-WebSocket-Accept", Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))));
        if (subProtocol is not null)
            response.Headers.Add("Sec-WebSocket-Protocol", subProtocol);
        var server = WebSocket.CreateFromStream(
            new Duplex(toServer.Reader, toClient.Writer),
            new WebSocketCreationOptions { IsServer = true, SubProtocol = subProtocol, KeepAliveInterval = TimeSpan.Zero });
        _accepted.Writer.TryWrite(new ServerSocket(server));
        return Task.FromResult(response);
    }

    /// <summary>The server's end of one connection.</summary>
    internal sealed class ServerSocket(WebSocket socket)
    {
        /// <summary>The close code the client sent, once it closed.</summary>
        public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

        /// <summary>Whether a close frame from the client is answered, as a well-behaved server does.</summary>
        public bool AnswerClose { get; set; } = true;

        /// <summary>The next message as JSON; <see langword="null"/> when the client closed or dropped the connection.</summary>
        public async Task<JsonElement?> ReceiveAsync()
        {
            var buffer = new byte[64 * 1024];
            var length = 0;
            try
            {
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (AnswerClose)
                            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                        return null;
                    }
                    length += result.Count;
                    if (result.EndOfMessage)
                        return JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException)
            {
                return null;
            }
        }

        /// <summary>Receives the next message and checks its type.</summary>
        public async Task<JsonElement> ExpectAsync(string type)
        {
            var message = await ReceiveAsync() ?? throw new InvalidOperationException($"The connection ended while '{type}' was expected.");
            message.GetProperty("type").GetString().ShouldBe(type);
            return message;
        }

        public Task SendAsync(string json) =>
            socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        /// <summary>Closes as a server does: close frame, the client's answer, then the connection itself.</summary>
        public async Task CloseAsync(int code, string reason)
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
            AnswerClose = false;
            _ = await ReceiveAsync();
            socket.Dispose();
        }
    }

    /// <summary>A 101's body as SocketsHttpHandler gives it: the connection itself, readable and writable (StreamContent would wrap it read-only).</summary>
    private sealed class ConnectionContent(Stream connection) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => throw new NotSupportedException();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => connection;

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(connection);
    }

    /// <summary>
    /// One end of the in-memory connection: reads what the other end writes. Disposing it (a WebSocket's abort) ends a
    /// pending read at once, as closing a socket does.
    /// </summary>
    private sealed class Duplex(PipeReader reader, PipeWriter writer) : Stream
    {
        private readonly Stream read = reader.AsStream();
        private readonly Stream write = writer.AsStream();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => read.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => read.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => read.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => write.Write(buffer, offset, count);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await write.WriteAsync(buffer, cancellationToken);
            await write.FlushAsync(cancellationToken);
        }

        public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            await WriteAsync(buffer.AsMemory(offset, count), cancellationToken);

        public override void Flush() => write.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => write.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                reader.CancelPendingRead();
                reader.Complete();
                writer.Complete();
            }
            base.Dispose(disposing);
        }
    }
}
