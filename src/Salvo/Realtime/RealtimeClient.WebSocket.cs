using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Salvo.Realtime;

public sealed partial class RealtimeClient
{
    /// <summary>The WebSocket loop: connect through the pipeline, yield each message, and after any close or failure wait the backoff and connect again.</summary>
    private async IAsyncEnumerable<T> WebSocketCoreAsync<T>(Uri url, JsonTypeInfo<T> dataType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var shown = WebSocketChannel.Redact(url);
        var reconnector = new Reconnector(_options.Reconnect, _time, shown, Notify, _logger, RealtimeInstruments.Tags("websocket", url));
        reconnector.Connecting();
        try
        {
            while (true)
            {
                Exception? failure;
                WebSocketChannel? channel = null;
                try
                {
                    channel = await WebSocketChannel.ConnectAsync(
                        _client, _clientOptions, url, null, _options.KeepAliveInterval, _options.MaxMessageSize, cancellationToken).ConfigureAwait(false);
                    failure = null;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not SalvoRealtimeException { IsTransient: false }
                    && (StreamFailures.IsNetwork(ex) || ex is SalvoException { IsTransient: true }))
                {
                    failure = StreamFailures.Wrap(ex, shown);
                }
                if (channel is not null)
                {
                    reconnector.Connected();
                    try
                    {
                        while (true)
                        {
                            JsonElement? message;
                            try
                            {
                                message = await channel.ReceiveAsync(shown, cancellationToken).ConfigureAwait(false);
                            }
                            catch (Exception ex) when (StreamFailures.IsNetwork(ex) && !cancellationToken.IsCancellationRequested)
                            {
                                failure = StreamFailures.Wrap(ex, shown);
                                break;
                            }
                            if (message is null)
                            {
                                var (status, description) = channel.Close;
                                failure = new SalvoRealtimeException(
                                    $"The server closed the stream {shown} with {status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"}.", shown, status, description, isTransient: true);
                                break;
                            }
                            yield return Decode(message.Value, dataType, shown);
                        }
                    }
                    finally
                    {
                        await channel.CloseAsync(WebSocketCloseStatus.NormalClosure, "done").ConfigureAwait(false);
                        channel.Dispose();
                    }
                }
                if (!await reconnector.WaitAsync(failure, null, cancellationToken).ConfigureAwait(false))
                    throw failure!;
            }
        }
        finally
        {
            reconnector.Closed();
        }
    }

    private static T Decode<T>(JsonElement message, JsonTypeInfo<T> dataType, string url)
    {
        try
        {
            return message.Deserialize(dataType)!;
        }
        catch (JsonException ex)
        {
            var raw = message.GetRawText();
            throw new SalvoDecodingException(
                $"A message on {url} does not decode as {typeof(T).Name}: {ex.Message}", typeof(T), "application/json",
                raw.Length <= SalvoResponseInfo.MaxPreviewBytes ? raw : raw[..SalvoResponseInfo.MaxPreviewBytes], ex, new SalvoErrorContext("GET", url));
        }
    }
}
