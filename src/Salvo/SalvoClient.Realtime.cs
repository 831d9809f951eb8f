using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Salvo.GraphQL;
using Salvo.Http;
using Salvo.Pipeline;
using Salvo.Realtime;

namespace Salvo;

public sealed partial class SalvoClient
{
    private GraphQLClient? _graphQL;
    private RealtimeClient? _realtime;

    /// <summary>
    /// GraphQL over this client: queries and mutations through the same pipeline (retry, budgets, limits, telemetry),
    /// subscriptions over one shared <c>graphql-transport-ws</c> WebSocket that reconnects and re-subscribes.
    /// </summary>
    public GraphQLClient GraphQL
    {
        get
        {
            ThrowIfDisposed();
            return LazyInitializer.EnsureInitialized(ref _graphQL, () => new GraphQLClient(this, _options));
        }
    }

    /// <summary>Reconnecting streams over this client: server-sent events resumed with <c>Last-Event-ID</c>, and WebSocket JSON streams.</summary>
    public RealtimeClient Realtime
    {
        get
        {
            ThrowIfDisposed();
            return LazyInitializer.EnsureInitialized(ref _realtime, () => new RealtimeClient(this, _options));
        }
    }

    /// <summary>The pipeline, for a WebSocket handshake that should pass through it like any request.</summary>
    internal HttpMessageInvoker Invoker => _invoker;

    internal SalvoRequestMessage CreateRequest(HttpMethod method, string url)
    {
        ThrowIfDisposed();
        return _requests.Create(method, url);
    }

    /// <summary>Sends a GraphQL operation Salvo built and reads its response: typed data, or a typed GraphQL error.</summary>
    internal Task<T> SendGraphQLAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> dataType, string? operationName, CancellationToken cancellationToken) =>
        ExecuteAsync(request, (dataType, operationName), static (state, response, body) => DecodeGraphQL(response, body.Span, state.dataType, state.operationName), ownsRequest: true, cancellationToken);

    /// <summary>
    /// Sends a request for a long-lived stream and returns the response once its headers arrive: the budget ends there,
    /// and the body is not capped by <see cref="SalvoClientOptions.MaxResponseSize"/> (a stream has no end to measure).
    /// </summary>
    internal async Task<HttpResponseMessage> OpenStreamAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        using var budget = StartCall(request, cancellationToken);
        return await SendCheckedAsync(request, budget, cancellationToken).ConfigureAwait(false);
    }

    private static T DecodeGraphQL<T>(HttpResponseMessage response, ReadOnlySpan<byte> body, JsonTypeInfo<T> dataType, string? operationName)
    {
        var context = ErrorContexts.Of(response.RequestMessage);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!JsonMedia.IsJson(mediaType) || body.IsEmpty)
        {
            throw new SalvoDecodingException(
                $"{ErrorText.Call(context)} returned '{mediaType}'{(body.IsEmpty ? " with an empty body" : "")}, not a GraphQL JSON response.",
                typeof(T), mediaType, body.IsEmpty ? null : BodyReader.Preview(body), null, context);
        }
        JsonElement payload;
        try
        {
            var reader = new Utf8JsonReader(body);
            payload = JsonElement.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new SalvoDecodingException($"{ErrorText.Call(context)} returned malformed JSON: {ex.Message}", typeof(T), mediaType, BodyReader.Preview(body), ex, context);
        }
        return GraphQLResponseReader.Read(payload, dataType, operationName, context);
    }
}
