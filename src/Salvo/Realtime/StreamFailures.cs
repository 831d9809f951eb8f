using System.Net.WebSockets;

namespace Salvo.Realtime;

/// <summary>Which failures of an open stream a reconnect can fix, and how they are reported.</summary>
internal static class StreamFailures
{
    /// <summary>The network dropped or the server went away mid-stream (not the caller's cancellation, not a decoding error).</summary>
    public static bool IsNetwork(Exception exception) =>
        exception is IOException or HttpRequestException or WebSocketException or TimeoutException
            or SalvoConnectionException or SalvoTimeoutException;

    public static SalvoRealtimeException Wrap(Exception exception, string url) => exception as SalvoRealtimeException
        ?? new SalvoRealtimeException($"The stream {url} failed: {exception.Message}", url, isTransient: true, innerException: exception);

    public static SalvoRealtimeException EndedByServer(string url) =>
        new($"The server ended the stream {url}.", url, isTransient: true);

}
