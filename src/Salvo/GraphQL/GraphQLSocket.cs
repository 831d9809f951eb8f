using System.Net.WebSockets;
using Salvo.Realtime;

namespace Salvo.GraphQL;

/// <summary>
/// The one <c>graphql-transport-ws</c> socket a <see cref="GraphQLClient"/> multiplexes its subscriptions on. It connects
/// when the first subscription starts, re-subscribes every active subscription after each reconnect, and closes cleanly
/// when the last one ends.
/// </summary>
/// <remarks>
/// A subscription is sent at most once per connection: the connection generation it went out on is recorded under the lock
/// that also publishes a new connection, so a subscription added while a reconnect is re-subscribing is sent exactly once.
/// </remarks>
internal sealed partial class GraphQLSocket : IAsyncDisposable
{
    private readonly SalvoClient _client;
    private readonly SalvoClientOptions _clientOptions;
    private readonly GraphQLOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<Uri> _url;
    private readonly Action<ConnectionStateChange> _notify;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, GraphQLSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private WebSocketChannel? _connected; // after connection_ack; guarded by _gate
    private int _generation;              // guarded by _gate
    private long _nextId;
    private bool _disposed;
    private volatile ConnectionState _state = ConnectionState.Idle;

    public GraphQLSocket(SalvoClient client, SalvoClientOptions options, Func<Uri> url, Action<ConnectionStateChange> notify)
    {
        _client = client;
        _clientOptions = options;
        _options = options.GraphQL;
        _time = options.TimeProvider;
        _url = url;
        _notify = notify;
    }

    public ConnectionState State => _state;

    /// <summary>Registers a subscription, starting the socket if it is not running, and sends it if the socket is connected.</summary>
    public async ValueTask<GraphQLSubscription> AddAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var subscription = new GraphQLSubscription(Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture), payload, _options.SubscriptionBuffer);
        WebSocketChannel? connected;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _subscriptions.Add(subscription.Id, subscription);
            _loop ??= Task.Run(RunAsync, CancellationToken.None);
            connected = _connected;
            if (connected is not null)
                subscription.SentOn = _generation;
        }
        if (connected is not null)
            await TrySendAsync(connected, GraphQLMessages.Subscribe(subscription), cancellationToken).ConfigureAwait(false);
        return subscription;
    }

    /// <summary>Ends a subscription from the client's side: <c>complete</c> to the server if it knows it, and a clean close if it was the last.</summary>
    public async ValueTask RemoveAsync(GraphQLSubscription subscription)
    {
        WebSocketChannel? connected;
        bool known, last;
        lock (_gate)
        {
            known = _subscriptions.Remove(subscription.Id);
            connected = _connected;
            known &= connected is not null && subscription.SentOn == _generation;
            last = _subscriptions.Count == 0;
        }
        subscription.End(); // releases the receive loop if it is waiting on this consumer's full buffer
        if (connected is null)
            return;
        if (known)
            await TrySendAsync(connected, GraphQLMessages.Complete(subscription.Id), CancellationToken.None).ConfigureAwait(false);
        if (last)
        {
            await connected.CloseAsync(WebSocketCloseStatus.NormalClosure, "no subscriptions").ConfigureAwait(false);
            _ = DropIfNotClosedAsync(connected);
        }
    }

    /// <summary>A server that never answers the close frame must not keep the connection (and the loop) forever.</summary>
    private async Task DropIfNotClosedAsync(WebSocketChannel channel)
    {
        try
        {
            await Task.Delay(_options.ConnectionAckTimeout, _time, _stop.Token).ConfigureAwait(false);
            if (channel.State != WebSocketState.Closed)
                channel.Abort();
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Disposed meanwhile: the connection is dropped there.
        }
    }

    /// <summary>Completes every subscription on the server, closes the socket with 1000 and waits (bounded) for the loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        List<GraphQLSubscription> ending;
        WebSocketChannel? connected;
        Task? loop;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            ending = [.. _subscriptions.Values];
            _subscriptions.Clear();
            connected = _connected;
            loop = _loop;
        }
        if (connected is not null)
        {
            foreach (var subscription in ending)
                await TrySendAsync(connected, GraphQLMessages.Complete(subscription.Id), CancellationToken.None).ConfigureAwait(false);
            await connected.CloseAsync(WebSocketCloseStatus.NormalClosure, "client disposed").ConfigureAwait(false);
        }
        EndDisposed(ending);
        // The server has its completes and our close frame; its answering close frame is not waited for, so disposing
        // never depends on the server (or on a test's clock) to finish.
        await _stop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        SetState(new ConnectionStateChange(ConnectionState.Closed, Url()));
    }

    private static void EndDisposed(List<GraphQLSubscription> ending)
    {
        foreach (var subscription in ending)
            subscription.End(failure: new ObjectDisposedException(nameof(GraphQLClient), "The client was disposed while the subscription was active."));
    }

    /// <summary>Ends every subscription and drops the connection without the close handshake.</summary>
    public void Abort()
    {
        List<GraphQLSubscription> ending;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            ending = [.. _subscriptions.Values];
            _subscriptions.Clear();
            _connected?.Abort();
        }
        EndDisposed(ending);
        _stop.Cancel();
        SetState(new ConnectionStateChange(ConnectionState.Closed, Url()));
    }

    private void SetState(ConnectionStateChange change)
    {
        _state = change.State;
        try
        {
            _notify(change);
        }
        catch (Exception)
        {
            // A failing observer must not take the socket down with it.
        }
    }

    /// <summary>Fails every subscription (the socket cannot be fixed by reconnecting) and forgets them.</summary>
    private void FailAll(Exception failure)
    {
        List<GraphQLSubscription> failing;
        lock (_gate)
        {
            failing = [.. _subscriptions.Values];
            _subscriptions.Clear();
        }
        foreach (var subscription in failing)
            subscription.End(failure: failure);
    }

    private GraphQLSubscription? Find(string? id)
    {
        lock (_gate)
            return id is not null && _subscriptions.TryGetValue(id, out var s) ? s : null;
    }

    private GraphQLSubscription? Take(string? id)
    {
        lock (_gate)
            return id is not null && _subscriptions.Remove(id, out var s) ? s : null;
    }

    private string Url() => SafeUrl() is { } url ? WebSocketChannel.Redact(url) : _options.Endpoint;

    /// <summary>The socket's URL, or <see langword="null"/> when the endpoint cannot be resolved (the connect then fails typed).</summary>
    private Uri? SafeUrl()
    {
        try
        {
            return _url();
        }
        catch (SalvoException)
        {
            return null;
        }
    }

    private static async ValueTask TrySendAsync(WebSocketChannel channel, byte[] message, CancellationToken cancellationToken)
    {
        try
        {
            await channel.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is failing; the receive loop sees it, reconnects and re-subscribes what is still active.
        }
    }
}
