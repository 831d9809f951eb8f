namespace Salvo.Realtime;

/// <summary>How <see cref="SalvoClient.Realtime"/> streams (server-sent events, WebSocket JSON) behave. Read when a stream starts.</summary>
public sealed class RealtimeOptions
{
    /// <summary>The default <see cref="MaxMessageSize"/>.</summary>
    /// <value>The value is 4 MiB.</value>
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    /// <summary>The default <see cref="KeepAliveInterval"/>.</summary>
    /// <value>The value is 15 seconds.</value>
    public static readonly TimeSpan DefaultKeepAliveInterval = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The largest WebSocket message, or server-sent event, accepted; a larger one ends the stream with a
    /// <see cref="SalvoRealtimeException"/> (a WebSocket is closed with 1009), which keeps memory bounded whatever the server sends.
    /// </summary>
    /// <value>The default value is 4 MiB.</value>
    public int MaxMessageSize { get; set; } = DefaultMaxMessageSize;

    /// <summary>
    /// How often a WebSocket stream sends a ping frame and expects the pong within the same interval; a socket that does
    /// not answer is taken for dead and replaced. <see cref="TimeSpan.Zero"/> turns keep-alive off.
    /// </summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan KeepAliveInterval { get; set; } = DefaultKeepAliveInterval;

    /// <summary>
    /// How long a server-sent-event stream may stay silent (no event, no comment, no byte at all) before the connection is
    /// taken for dead and replaced, resuming with <c>Last-Event-ID</c>. Set it above the server's heartbeat interval;
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits for as long as the connection stays open, as a browser's EventSource does.
    /// </summary>
    /// <value>The default value is <see cref="Timeout.InfiniteTimeSpan"/>.</value>
    public TimeSpan IdleTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>How streams come back after their connection closes or fails.</summary>
    /// <value>The default value is on: jittered backoff from 250 ms to 30 s, no limit on attempts.</value>
    public ReconnectOptions Reconnect { get; } = new();
}
