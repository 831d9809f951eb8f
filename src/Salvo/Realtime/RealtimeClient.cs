using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Salvo.Realtime;

/// <summary>
/// Reconnecting streams on a <see cref="SalvoClient"/>, reached through <see cref="SalvoClient.Realtime"/>: server-sent
/// events (resumed with <c>Last-Event-ID</c>) and WebSocket JSON messages, each an <see cref="IAsyncEnumerable{T}"/>.
/// </summary>
/// <remarks>
/// Each enumeration owns one connection at a time, opened through the client's pipeline (so connects are rate limited,
/// retried, measured and authenticated like any call). After any close or network failure it reconnects with jittered
/// backoff (<see cref="RealtimeOptions.Reconnect"/>) until the caller stops enumerating or cancels.
/// </remarks>
public sealed partial class RealtimeClient
{
    private const string ReflectionJson = "Uses reflection-based JSON serialization; pass a JsonTypeInfo from a JsonSerializerContext for trimming and AOT.";

    private readonly SalvoClient _client;
    private readonly SalvoClientOptions _clientOptions;
    private readonly RealtimeOptions _options;
    private readonly TimeProvider _time;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger? _logger;

    internal RealtimeClient(SalvoClient client, SalvoClientOptions options)
    {
        _logger = options.LoggerFactory?.CreateLogger<RealtimeClient>();
        _client = client;
        _clientOptions = options;
        _options = options.Realtime;
        _time = options.TimeProvider;
        _json = client.JsonOptions;
    }

    /// <summary>Raised on every state change of every stream of this client (see <see cref="ConnectionStateChange.Url"/>), on the stream's thread.</summary>
    public event EventHandler<ConnectionStateChange>? StateChanged;

    /// <summary>Reads server-sent events from a URL, decoding each event's data as JSON <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type of each event's data.</typeparam>
    /// <param name="url">An absolute URL, or one relative to <see cref="SalvoClient.BaseAddress"/>.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events, across reconnects, until the caller stops, the server answers 204, or a failure a reconnect cannot fix.</returns>
    /// <exception cref="SalvoHttpException">The server answered a 4xx other than 408 or 429 (reconnecting cannot fix it).</exception>
    /// <exception cref="SalvoDecodingException">An event's data is not JSON of that shape.</exception>
    /// <exception cref="SalvoRealtimeException">The response is not an event stream, or the reconnect attempts ran out.</exception>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public IAsyncEnumerable<SseEvent<T>> ServerSentEventsAsync<T>(string url, CancellationToken cancellationToken = default) =>
        ServerSentEventsAsync(url, TypeInfo<T>(), null, cancellationToken);

    /// <summary>Reads server-sent events, starting after <paramref name="lastEventId"/> (sent as <c>Last-Event-ID</c>).</summary>
    /// <typeparam name="T">The type of each event's data.</typeparam>
    /// <param name="url">An absolute URL, or one relative to <see cref="SalvoClient.BaseAddress"/>.</param>
    /// <param name="lastEventId">The id of the last event already seen (e.g. from a previous run), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events.</returns>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public IAsyncEnumerable<SseEvent<T>> ServerSentEventsAsync<T>(string url, string? lastEventId, CancellationToken cancellationToken = default) =>
        ServerSentEventsAsync(url, TypeInfo<T>(), lastEventId, cancellationToken);

    /// <summary>Reads server-sent events with source-generated metadata; see <see cref="ServerSentEventsAsync{T}(string, CancellationToken)"/>.</summary>
    /// <typeparam name="T">The type of each event's data.</typeparam>
    /// <param name="url">An absolute URL, or one relative to <see cref="SalvoClient.BaseAddress"/>.</param>
    /// <param name="dataType">Metadata for <typeparamref name="T"/>.</param>
    /// <param name="lastEventId">The id of the last event already seen, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<SseEvent<T>> ServerSentEventsAsync<T>(string url, JsonTypeInfo<T> dataType, string? lastEventId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(dataType);
        return SseCoreAsync(url, dataType, lastEventId, cancellationToken);
    }

    /// <summary>Reads a WebSocket whose every text message is one JSON <typeparamref name="T"/>, reconnecting after any close or failure.</summary>
    /// <typeparam name="T">The type of each message.</typeparam>
    /// <param name="url">A <c>ws://</c> or <c>wss://</c> URL, or an http(s) one (absolute or relative to <see cref="SalvoClient.BaseAddress"/>) whose scheme is switched.</param>
    /// <param name="cancellationToken">Ends the stream (the socket is closed with 1000).</param>
    /// <returns>The messages, across reconnects.</returns>
    /// <exception cref="SalvoDecodingException">A message is not JSON of that shape.</exception>
    /// <exception cref="SalvoRealtimeException">A message is too large or not JSON, or the reconnect attempts ran out.</exception>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public IAsyncEnumerable<T> WebSocketJsonAsync<T>(string url, CancellationToken cancellationToken = default) =>
        WebSocketJsonAsync(url, TypeInfo<T>(), cancellationToken);

    /// <summary>Reads a WebSocket JSON stream with source-generated metadata; see <see cref="WebSocketJsonAsync{T}(string, CancellationToken)"/>.</summary>
    /// <typeparam name="T">The type of each message.</typeparam>
    /// <param name="url">A <c>ws://</c> or <c>wss://</c> URL, or an http(s) one whose scheme is switched.</param>
    /// <param name="dataType">Metadata for <typeparamref name="T"/>.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The messages.</returns>
    public IAsyncEnumerable<T> WebSocketJsonAsync<T>(string url, JsonTypeInfo<T> dataType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(dataType);
        return WebSocketCoreAsync(SocketUrl(url), dataType, cancellationToken);
    }

    private void Notify(ConnectionStateChange change)
    {
        try
        {
            StateChanged?.Invoke(this, change);
        }
        catch (Exception)
        {
            // A failing observer must not end the stream.
        }
    }

    private Uri SocketUrl(string url)
    {
        if (url.StartsWith("ws://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("wss://", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(url, UriKind.Absolute, out var ws)
                ? ws
                : throw new SalvoInvalidRequestException($"'{Telemetry.Redaction.RedactUrl(url)}' is not a valid URL.");
        }
        using var probe = _client.CreateRequest(HttpMethod.Get, url);
        return new UriBuilder(probe.RequestUri!) { Scheme = probe.RequestUri!.Scheme == Uri.UriSchemeHttps ? Uri.UriSchemeWss : Uri.UriSchemeWs }.Uri;
    }

    private JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)_json.GetTypeInfo(typeof(T));

    private static T Decode<T>(ReadOnlySpan<byte> data, JsonTypeInfo<T> dataType, string url)
    {
        try
        {
            return JsonSerializer.Deserialize(data, dataType)!;
        }
        catch (JsonException ex)
        {
            throw new SalvoDecodingException(
                $"A message on {url} does not decode as {typeof(T).Name}: {ex.Message}", typeof(T), "application/json",
                Http.BodyReader.Preview(data), ex, new SalvoErrorContext("GET", url));
        }
    }
}
