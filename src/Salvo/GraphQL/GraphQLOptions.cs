using System.Text.Json;
using Salvo.Realtime;

namespace Salvo.GraphQL;

/// <summary>How <see cref="SalvoClient.GraphQL"/> sends operations and keeps its subscription socket. Read when the client is created.</summary>
/// <remarks>
/// Queries and mutations go through the client's whole pipeline (telemetry, budgets, retry, circuit breaker, rate limits).
/// Subscriptions share one WebSocket per client speaking <c>graphql-transport-ws</c> (the protocol of the graphql-ws library).
/// </remarks>
public sealed class GraphQLOptions
{
    /// <summary>The default <see cref="Endpoint"/>.</summary>
    /// <value>The value is <c>graphql</c>.</value>
    public const string DefaultEndpoint = "graphql";

    /// <summary>The WebSocket subprotocol the subscription socket asks for.</summary>
    /// <value>The value is <c>graphql-transport-ws</c>.</value>
    public const string SubProtocol = "graphql-transport-ws";

    /// <summary>The default <see cref="MaxMessageSize"/>.</summary>
    /// <value>The value is 4 MiB.</value>
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    /// <summary>The default <see cref="SubscriptionBuffer"/>.</summary>
    /// <value>The value is 256 messages.</value>
    public const int DefaultSubscriptionBuffer = 256;

    /// <summary>The default <see cref="KeepAliveInterval"/>.</summary>
    /// <value>The value is 15 seconds.</value>
    public static readonly TimeSpan DefaultKeepAliveInterval = TimeSpan.FromSeconds(15);

    /// <summary>The default <see cref="PongTimeout"/>.</summary>
    /// <value>The value is 10 seconds.</value>
    public static readonly TimeSpan DefaultPongTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default <see cref="ConnectionAckTimeout"/>.</summary>
    /// <value>The value is 10 seconds.</value>
    public static readonly TimeSpan DefaultConnectionAckTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The HTTP endpoint, absolute or relative to <see cref="SalvoClientOptions.BaseAddress"/>.</summary>
    /// <value>The default value is <c>graphql</c>.</value>
    public string Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>
    /// The subscription socket's URL (<c>ws://</c> or <c>wss://</c>); <see langword="null"/> to use <see cref="Endpoint"/>
    /// with its scheme changed (<c>http</c> to <c>ws</c>, <c>https</c> to <c>wss</c>).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Uri? WebSocketEndpoint { get; set; }

    /// <summary>
    /// Whether queries are sent as <c>GET</c> with the operation in the query string (GraphQL over HTTP), so HTTP caches
    /// and URL-based cache rules can hold them; otherwise every operation is a <c>POST</c> with a JSON body.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UseGetForQueries { get; set; }

    /// <summary>
    /// Whether queries are retried on transient failures like any idempotent request (a query reads and changes nothing).
    /// Mutations are never retried without a <see cref="GraphQLRequest.IdempotencyKey"/>.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RetryQueries { get; set; } = true;

    /// <summary>
    /// The <c>connection_init</c> payload (typically the credentials, e.g. <c>{"token": "…"}</c>), asked for afresh on every
    /// connect and reconnect of the subscription socket, so an expired token is never sent again. When it is
    /// <see langword="null"/> and the client has a credential (<see cref="SalvoClientOptions.Auth"/>), the payload is that
    /// credential, fresh on every connect: <c>{"Authorization": "Bearer …"}</c>, or an API key under its header or parameter
    /// name; with neither, none is sent. The payload is never logged.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the client's credential, if it has one.</value>
    public Func<CancellationToken, ValueTask<JsonElement?>>? ConnectionInitPayload { get; set; }

    /// <summary>How often the subscription socket sends a protocol <c>ping</c> to prove the connection is alive.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan KeepAliveInterval { get; set; } = DefaultKeepAliveInterval;

    /// <summary>How long a <c>ping</c> may go unanswered (no <c>pong</c>, no message at all) before the socket is taken for dead and replaced.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan PongTimeout { get; set; } = DefaultPongTimeout;

    /// <summary>How long connecting and the server's <c>connection_ack</c> may take before the attempt counts as failed.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan ConnectionAckTimeout { get; set; } = DefaultConnectionAckTimeout;

    /// <summary>The largest WebSocket message accepted; a larger one is a protocol failure and the socket is replaced.</summary>
    /// <value>The default value is 4 MiB.</value>
    public int MaxMessageSize { get; set; } = DefaultMaxMessageSize;

    /// <summary>
    /// How many events one subscription holds for a consumer that is behind. When it is full the socket waits for that
    /// consumer (back-pressure on the connection) instead of dropping events or growing without bound.
    /// </summary>
    /// <value>The default value is 256.</value>
    public int SubscriptionBuffer { get; set; } = DefaultSubscriptionBuffer;

    /// <summary>How the subscription socket comes back after it closes or fails.</summary>
    /// <value>The default value is on: jittered backoff from 250 ms to 30 s, no limit on attempts.</value>
    public ReconnectOptions Reconnect { get; } = new();
}
