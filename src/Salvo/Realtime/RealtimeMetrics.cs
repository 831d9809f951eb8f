namespace Salvo.Realtime;

/// <summary>
/// The names of the stream instruments on the <c>Salvo</c> meter (<see cref="Telemetry.SalvoDiagnostics.Name"/>). Each
/// measurement is tagged with <see cref="KindTag"/> (<c>sse</c>, <c>websocket</c> or <c>graphql-ws</c>),
/// <c>server.address</c> and <c>server.port</c> — never a path, a query or a payload.
/// </summary>
public static class RealtimeMetrics
{
    /// <summary>Connections a stream opened successfully (for GraphQL: acknowledged), the first one included.</summary>
    /// <value>The value is <c>salvo.stream.connections</c>.</value>
    public const string ConnectionsInstrument = "salvo.stream.connections";

    /// <summary>Reconnect attempts scheduled after a close or failure.</summary>
    /// <value>The value is <c>salvo.stream.reconnects</c>.</value>
    public const string ReconnectsInstrument = "salvo.stream.reconnects";

    /// <summary>The tag naming the kind of stream.</summary>
    /// <value>The value is <c>salvo.stream.kind</c>.</value>
    public const string KindTag = "salvo.stream.kind";
}
