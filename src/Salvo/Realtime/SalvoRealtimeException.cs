using System.Net.WebSockets;

namespace Salvo.Realtime;

/// <summary>
/// A stream ended in a way reconnecting could not fix: the server closed a socket with a code that says the client is
/// at fault (a GraphQL protocol violation, a subprotocol it does not speak), a stream that is not a stream
/// (wrong content type), or the reconnect attempts ran out.
/// </summary>
public sealed class SalvoRealtimeException : SalvoException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, free of secrets.</param>
    /// <param name="url">The stream's redacted URL.</param>
    /// <param name="closeStatus">The WebSocket close code the server sent, if it sent one.</param>
    /// <param name="closeDescription">The reason the server gave with it, if any.</param>
    /// <param name="isTransient">Whether trying again later could succeed.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public SalvoRealtimeException(string message, string? url, int? closeStatus = null, string? closeDescription = null, bool isTransient = false, Exception? innerException = null)
        : base(message, innerException, new SalvoErrorContext("GET", url))
    {
        CloseStatus = closeStatus;
        CloseDescription = closeDescription;
        _transient = isTransient;
    }

    private readonly bool _transient;

    /// <summary>
    /// The close code the server sent (<see cref="WebSocketCloseStatus"/> values, or the 4400–4499 codes of the
    /// graphql-transport-ws protocol, e.g. 4403 Forbidden), when the socket was closed by the server.
    /// </summary>
    public int? CloseStatus { get; }

    /// <summary>The reason the server gave with its close code, if any.</summary>
    public string? CloseDescription { get; }

    /// <inheritdoc />
    public override bool IsTransient => _transient;
}
