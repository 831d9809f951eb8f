namespace Salvo.Realtime;

/// <summary>Where a reconnecting stream's connection is.</summary>
public enum ConnectionState
{
    /// <summary>No connection, and none wanted (nothing subscribed yet, or everything ended).</summary>
    Idle,

    /// <summary>Opening the first connection.</summary>
    Connecting,

    /// <summary>Connected and delivering (for GraphQL: the server acknowledged <c>connection_init</c>).</summary>
    Connected,

    /// <summary>The connection closed or failed; waiting out the backoff before connecting again.</summary>
    Reconnecting,

    /// <summary>Ended for good: disposed, cancelled, completed, or failed beyond what reconnecting can fix.</summary>
    Closed,
}
