using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using Salvo.Telemetry;

namespace Salvo.Realtime;

public sealed partial class RealtimeClient
{
    private const string EventStream = "text/event-stream";

    /// <summary>
    /// The SSE loop: connect (with <c>Last-Event-ID</c> once an id is known), parse with <see cref="SseParser"/>, and after
    /// the stream ends or breaks wait the backoff — based on the server's <c>retry:</c> when it sent one — and resume.
    /// </summary>
    private async IAsyncEnumerable<SseEvent<T>> SseCoreAsync<T>(string url, JsonTypeInfo<T> dataType, string? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var shown = Redaction.RedactUrl(url);
        var reconnector = new Reconnector(_options.Reconnect, _time, shown, Notify, _logger, RealtimeInstruments.Tags("sse", Endpoint(url)));
        TimeSpan? serverRetry = null;
        reconnector.Connecting();
        try
        {
            while (true)
            {
                var (response, failure) = await OpenSseAsync(url, lastEventId, cancellationToken).ConfigureAwait(false);
                if (response is not null && response.StatusCode == HttpStatusCode.NoContent)
                {
                    // "HTTP 204 No Content ... must prevent the user agent from reconnecting" (HTML, section 9.2.3).
                    response.Dispose();
                    yield break;
                }
                if (response is not null)
                {
                    using (response)
                    {
                        reconnector.Connected();
                        var body = new SseEventLimitStream(
                            await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _options.MaxMessageSize, shown, _options.IdleTimeout, _time);
                        var parser = SseParser.Create(body, (eventType, data) => Decode(data, dataType, shown));
                        var events = parser.EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                        await using (events.ConfigureAwait(false))
                        {
                            while (true)
                            {
                                try
                                {
                                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                                    {
                                        failure = StreamFailures.EndedByServer(shown);
                                        break;
                                    }
                                }
                                catch (Exception ex) when (StreamFailures.IsNetwork(ex) && !cancellationToken.IsCancellationRequested)
                                {
                                    failure = StreamFailures.Wrap(ex, shown);
                                    break;
                                }
                                (lastEventId, serverRetry) = Resume(parser, lastEventId, serverRetry);
                                var item = events.Current;
                                yield return new SseEvent<T>(item.Data, item.EventType, lastEventId);
                            }
                        }
                        // A retry: (or an id:) after the last event still counts for the reconnect.
                        (lastEventId, serverRetry) = Resume(parser, lastEventId, serverRetry);
                    }
                }
                if (!await reconnector.WaitAsync(failure, serverRetry, cancellationToken).ConfigureAwait(false))
                    throw failure!;
            }
        }
        finally
        {
            reconnector.Closed();
        }
    }

    private Uri? Endpoint(string url)
    {
        using var probe = _client.CreateRequest(HttpMethod.Get, url);
        return probe.RequestUri;
    }

    /// <summary>What the parser has seen that the next connection needs: the last event id and the server's retry.</summary>
    private static (string? LastEventId, TimeSpan? Retry) Resume<T>(SseParser<T> parser, string? lastEventId, TimeSpan? retry) =>
        (string.IsNullOrEmpty(parser.LastEventId) ? lastEventId : parser.LastEventId,
         parser.ReconnectionInterval > TimeSpan.Zero && parser.ReconnectionInterval != Timeout.InfiniteTimeSpan ? parser.ReconnectionInterval : retry);

    /// <summary>Opens the event stream; a failure a reconnect can fix is returned, any other is thrown.</summary>
    private async Task<(HttpResponseMessage? Response, Exception? Failure)> OpenSseAsync(string url, string? lastEventId, CancellationToken cancellationToken)
    {
        var request = _client.CreateRequest(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(EventStream);
        request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
        if (!string.IsNullOrEmpty(lastEventId))
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        HttpResponseMessage response;
        try
        {
            response = await _client.OpenStreamAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (SalvoException ex) when (ex.IsTransient)
        {
            request.Dispose();
            return (null, ex);
        }
        catch
        {
            request.Dispose();
            throw;
        }
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (response.StatusCode != HttpStatusCode.NoContent && !string.Equals(mediaType, EventStream, StringComparison.OrdinalIgnoreCase))
        {
            response.Dispose();
            var shown = Redaction.RedactUrl(request.RequestUri!);
            throw new SalvoRealtimeException($"GET {shown} answered '{mediaType}', not {EventStream}.", shown);
        }
        return (response, null);
    }
}
