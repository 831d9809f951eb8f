using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Salvo.Realtime;

namespace Salvo.GraphQL;

internal sealed partial class GraphQLSocket
{
    /// <summary>
    /// Connects, serves the connection until it ends, and reconnects with jittered backoff after any close or failure,
    /// for as long as a subscription is active. Ends when none is, on dispose, or on a failure a reconnect cannot fix.
    /// </summary>
    private async Task RunAsync()
    {
        var url = Url();
        var reconnector = new Reconnector(
            _options.Reconnect, _time, url, SetState, _clientOptions.LoggerFactory?.CreateLogger<GraphQLClient>(), RealtimeInstruments.Tags("graphql-ws", SafeUrl()));
        while (true)
        {
            bool idle, disposed;
            lock (_gate)
            {
                disposed = _disposed;
                idle = _subscriptions.Count == 0 || disposed;
                if (idle)
                    _loop = null;
            }
            if (idle)
            {
                if (!disposed)
                    SetState(new ConnectionStateChange(ConnectionState.Idle, url));
                return;
            }
            if (!reconnector.EverConnected)
                reconnector.Connecting();
            var (error, fatal) = await ServeConnectionAsync(url, reconnector).ConfigureAwait(false);
            if (_stop.IsCancellationRequested)
                return;
            if (fatal)
            {
                FailAll(error!);
                continue;
            }
            lock (_gate)
            {
                if (_subscriptions.Count == 0)
                    continue;
            }
            try
            {
                if (!await reconnector.WaitAsync(error, null, _stop.Token).ConfigureAwait(false))
                    FailAll(GaveUp(url, error));
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One connection from connect to close; returns what ended it and whether a reconnect cannot help.</summary>
    private async Task<(Exception? Error, bool Fatal)> ServeConnectionAsync(string url, Reconnector reconnector)
    {
        WebSocketChannel? channel = null;
        try
        {
            channel = await HandshakeAsync(url).ConfigureAwait(false);
            reconnector.Connected();
            await ResubscribeAsync(channel).ConfigureAwait(false);
            return await ReceiveLoopAsync(channel, url).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return (null, false);
        }
        catch (SalvoRealtimeException ex)
        {
            return (ex, !ex.IsTransient);
        }
        catch (SalvoException ex)
        {
            // The handshake went through the pipeline: a 4xx other than 408/429 will not change by itself.
            return (ex, !ex.IsTransient);
        }
        catch (ObjectDisposedException ex)
        {
            // The client was disposed under the socket: nothing left to reconnect with.
            return (ex, true);
        }
        catch (Exception ex)
        {
            // The network, the server going away, or the connection_init payload's own provider failing (a token
            // endpoint that is down): all worth another attempt after the backoff.
            return (new SalvoRealtimeException($"The GraphQL socket {url} failed: {ex.Message}", url, isTransient: true, innerException: ex), false);
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_connected, channel))
                    _connected = null;
            }
            channel?.Dispose();
        }
    }

    /// <summary>Opens the socket, sends <c>connection_init</c> with a fresh payload and waits for <c>connection_ack</c>, all within the ack timeout.</summary>
    private async Task<WebSocketChannel> HandshakeAsync(string url)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectionAckTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token);
        var token = linked.Token;
        WebSocketChannel? channel = null;
        try
        {
            channel = await WebSocketChannel.ConnectAsync(
                _client, _clientOptions, _url(), GraphQLOptions.SubProtocol, TimeSpan.Zero, _options.MaxMessageSize, token).ConfigureAwait(false);
            if (!string.Equals(channel.SubProtocol, GraphQLOptions.SubProtocol, StringComparison.Ordinal))
            {
                throw new SalvoRealtimeException(
                    $"The server at {url} does not speak {GraphQLOptions.SubProtocol} (it chose '{channel.SubProtocol}').", url, GraphQLCloseCodes.SubprotocolNotAcceptable);
            }
            var payload = _options.ConnectionInitPayload is { } init
                ? await init(token).ConfigureAwait(false)
                : _clientOptions.Auth is { } auth ? await AuthPayloadAsync(auth, token).ConfigureAwait(false) : null;
            await channel.SendAsync(GraphQLMessages.ConnectionInit(payload), token).ConfigureAwait(false);
            while (true)
            {
                var message = await channel.ReceiveAsync(url, token).ConfigureAwait(false);
                if (message is null)
                    throw ClosedBy(channel, url, "before acknowledging connection_init");
                switch (TypeOf(message.Value))
                {
                    case "connection_ack":
                        return channel;
                    case "ping":
                        await channel.SendAsync(GraphQLMessages.Pong, token).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !_stop.IsCancellationRequested)
        {
            channel?.Dispose();
            throw new SalvoRealtimeException(
                $"The GraphQL socket {url} was not acknowledged within {_options.ConnectionAckTimeout.TotalSeconds:0.###} s.", url, isTransient: true, innerException: ex);
        }
        catch
        {
            channel?.Dispose();
            throw;
        }
    }

    /// <summary>Publishes the connection and sends <c>subscribe</c> for every subscription not yet sent on it.</summary>
    private async Task ResubscribeAsync(WebSocketChannel channel)
    {
        List<GraphQLSubscription> pending = [];
        lock (_gate)
        {
            _connected = channel;
            var generation = ++_generation;
            foreach (var subscription in _subscriptions.Values)
            {
                if (subscription.SentOn == generation)
                    continue;
                subscription.SentOn = generation;
                pending.Add(subscription);
            }
        }
        foreach (var subscription in pending)
            await channel.SendAsync(GraphQLMessages.Subscribe(subscription), _stop.Token).ConfigureAwait(false);
    }

    private async Task<(Exception? Error, bool Fatal)> ReceiveLoopAsync(WebSocketChannel channel, string url)
    {
        var activity = new ConnectionActivity();
        using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var pinger = KeepAliveAsync(channel, activity, keepAlive.Token);
        try
        {
            while (true)
            {
                var message = await channel.ReceiveAsync(url, _stop.Token).ConfigureAwait(false);
                if (message is null)
                {
                    var closed = ClosedBy(channel, url, "");
                    return (closed, !closed.IsTransient);
                }
                activity.Seen();
                activity.WaitingOnConsumer = true;
                await DispatchAsync(channel, message.Value).ConfigureAwait(false);
                activity.WaitingOnConsumer = false;
            }
        }
        finally
        {
            await keepAlive.CancelAsync().ConfigureAwait(false);
            await pinger.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task DispatchAsync(WebSocketChannel channel, JsonElement message)
    {
        var id = message.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        switch (TypeOf(message))
        {
            case "next":
                if (Find(id) is { } subscription && message.TryGetProperty("payload", out var payload))
                    await subscription.NextAsync(payload, _stop.Token).ConfigureAwait(false);
                break;
            case "error":
                Take(id)?.End(errors: message.TryGetProperty("payload", out var errors) ? GraphQLErrorReader.ReadAll(errors) : [new GraphQLError("(no message)", [], [], null)]);
                break;
            case "complete":
                Take(id)?.End();
                break;
            case "ping":
                await channel.SendAsync(GraphQLMessages.Pong, _stop.Token).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// Pings every keep-alive interval; when nothing at all arrives within the pong timeout of a ping the connection is
    /// taken for dead and dropped (the loop then reconnects). Time spent waiting on a slow consumer is not silence: then
    /// it is this side that is not reading, and the server's pong is merely queued behind the events.
    /// </summary>
    private async Task KeepAliveAsync(WebSocketChannel channel, ConnectionActivity activity, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.KeepAliveInterval, _time, cancellationToken).ConfigureAwait(false);
            var answered = activity.Next;
            await TrySendAsync(channel, GraphQLMessages.Ping, cancellationToken).ConfigureAwait(false);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timeout = Task.Delay(_options.PongTimeout, _time, wait.Token);
            var first = await Task.WhenAny(answered, timeout).ConfigureAwait(false);
            await wait.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first == timeout && !activity.WaitingOnConsumer)
            {
                channel.Abort();
                return;
            }
        }
    }

    /// <summary>What the keep-alive watches on one connection: the next message to arrive, and whether the receive loop is held up by a consumer.</summary>
    private sealed class ConnectionActivity
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _waitingOnConsumer;

        /// <summary>Completes when the next message arrives.</summary>
        public Task Next => Volatile.Read(ref _next).Task;

        public bool WaitingOnConsumer
        {
            get => _waitingOnConsumer;
            set => _waitingOnConsumer = value;
        }

        public void Seen() =>
            Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private static string? TypeOf(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;

    private static SalvoRealtimeException ClosedBy(WebSocketChannel channel, string url, string when)
    {
        var (status, description) = channel.Close;
        var reason = string.IsNullOrEmpty(description) ? "" : $" ({description})";
        var suffix = string.IsNullOrEmpty(when) ? "" : " " + when;
        return new SalvoRealtimeException(
            $"The server closed the GraphQL socket {url} with {status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"}{reason}{suffix}.",
            url, status, description, isTransient: !GraphQLCloseCodes.IsFatal(status));
    }

    private static SalvoRealtimeException GaveUp(string url, Exception? last) =>
        new($"The GraphQL socket {url} could not be reconnected: {last?.Message ?? "closed"}", url, (last as SalvoRealtimeException)?.CloseStatus, isTransient: true, innerException: last);

    /// <summary>
    /// The default <c>connection_init</c> payload when the client has a credential and no payload of its own: the credential
    /// as the handshake would carry it (<c>{"Authorization": "Bearer …"}</c>, or the API key under its header or parameter
    /// name), taken fresh from the credential on every connect — so a reconnect after expiry sends the new token.
    /// </summary>
    internal static async ValueTask<JsonElement?> AuthPayloadAsync(Auth.SalvoAuth auth, CancellationToken cancellationToken)
    {
        var credential = await auth.GetConnectionCredentialAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(credential.Name, credential.Value);
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }
}
