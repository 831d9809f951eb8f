using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Salvo.Http;
using Salvo.Realtime;
using Salvo.Resilience;

namespace Salvo.GraphQL;

/// <summary>
/// GraphQL on a <see cref="SalvoClient"/>, reached through <see cref="SalvoClient.GraphQL"/>: typed queries and mutations
/// through the client's pipeline, and subscriptions multiplexed on one reconnecting <c>graphql-transport-ws</c> socket.
/// </summary>
/// <remarks>
/// <para>A response with an <c>errors</c> array is a <see cref="SalvoGraphQLException"/> carrying every error (message,
/// path, locations, extensions) and the partial data. HTTP failures are the client's usual typed exceptions.</para>
/// <para>Queries are read-only, so they are retried on transient failures like a GET (<see cref="GraphQLOptions.RetryQueries"/>);
/// a mutation is a POST, retried only when it carries an <see cref="GraphQLRequest.IdempotencyKey"/>.</para>
/// </remarks>
public sealed partial class GraphQLClient : IAsyncDisposable
{
    private const string ReflectionJson = "Uses reflection-based JSON serialization; pass a JsonTypeInfo from a JsonSerializerContext for trimming and AOT.";
    private static readonly SalvoRequestSettings RetryAsQuery = new() { AllowUnsafeRetry = true };
    private static readonly SalvoRequestSettings NoRetry = new() { Retry = false };

    private readonly SalvoClient _client;
    private readonly GraphQLOptions _options;
    private readonly JsonSerializerOptions _json;
    private readonly GraphQLSocket _socket;

    internal GraphQLClient(SalvoClient client, SalvoClientOptions options)
    {
        _client = client;
        _options = options.GraphQL;
        _json = client.JsonOptions;
        _socket = new GraphQLSocket(client, options, () => SocketUrl(client, options.GraphQL), change => StateChanged?.Invoke(this, change));
    }

    /// <summary>Raised on every change of the subscription socket's state (connecting, connected, reconnecting, closed), on the socket's thread.</summary>
    public event EventHandler<ConnectionStateChange>? StateChanged;

    /// <summary>The subscription socket's current state.</summary>
    public ConnectionState State => _socket.State;

    /// <summary>Runs a query and returns its typed <c>data</c>.</summary>
    /// <typeparam name="T">The type of <c>data</c>.</typeparam>
    /// <param name="query">The query document.</param>
    /// <param name="variables">The variables (e.g. an anonymous object), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded <c>data</c>.</returns>
    /// <exception cref="SalvoGraphQLException">The response had errors; the partial data is on the exception.</exception>
    /// <exception cref="SalvoException">Any HTTP, timeout, connection or decoding failure, typed as for <see cref="SalvoClient.GetJsonAsync{T}(string, CancellationToken)"/>.</exception>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public Task<T> QueryAsync<T>(string query, object? variables = null, CancellationToken cancellationToken = default) =>
        QueryAsync(new GraphQLRequest(query) { Variables = variables }, TypeInfo<T>(), cancellationToken);

    /// <summary>Runs a query (with an operation name, if the document needs one) and returns its typed <c>data</c>.</summary>
    /// <typeparam name="T">The type of <c>data</c>.</typeparam>
    /// <param name="request">The operation.</param>
    /// <param name="dataType">Metadata for <typeparamref name="T"/> from a <c>JsonSerializerContext</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded <c>data</c>.</returns>
    /// <exception cref="SalvoGraphQLException">The response had errors; the partial data is on the exception.</exception>
    /// <exception cref="SalvoException">Any HTTP, timeout, connection or decoding failure.</exception>
    public Task<T> QueryAsync<T>(GraphQLRequest request, JsonTypeInfo<T> dataType, CancellationToken cancellationToken = default)
    {
        Check(request, dataType);
        HttpRequestMessage http;
        if (_options.UseGetForQueries)
        {
            http = _client.CreateRequest(HttpMethod.Get, QueryUrl(request));
            if (!_options.RetryQueries)
                http.WithSalvoSettings(NoRetry);
        }
        else
        {
            http = Post(request);
            if (_options.RetryQueries)
                http.WithSalvoSettings(RetryAsQuery);
        }
        return _client.SendGraphQLAsync(http, dataType, request.OperationName, cancellationToken);
    }

    /// <summary>Runs a mutation (sent once: it has no idempotency key) and returns its typed <c>data</c>.</summary>
    /// <typeparam name="T">The type of <c>data</c>.</typeparam>
    /// <param name="mutation">The mutation document.</param>
    /// <param name="variables">The variables (e.g. an anonymous object), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded <c>data</c>.</returns>
    /// <exception cref="SalvoGraphQLException">The response had errors; the partial data is on the exception.</exception>
    /// <exception cref="SalvoException">Any HTTP, timeout, connection or decoding failure.</exception>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public Task<T> MutateAsync<T>(string mutation, object? variables = null, CancellationToken cancellationToken = default) =>
        MutateAsync(new GraphQLRequest(mutation) { Variables = variables }, TypeInfo<T>(), cancellationToken);

    /// <summary>Runs a mutation and returns its typed <c>data</c>; retried after transient failures only with an <see cref="GraphQLRequest.IdempotencyKey"/>.</summary>
    /// <typeparam name="T">The type of <c>data</c>.</typeparam>
    /// <param name="request">The operation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded <c>data</c>.</returns>
    /// <exception cref="SalvoGraphQLException">The response had errors; the partial data is on the exception.</exception>
    /// <exception cref="SalvoException">Any HTTP, timeout, connection or decoding failure.</exception>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public Task<T> MutateAsync<T>(GraphQLRequest request, CancellationToken cancellationToken = default) =>
        MutateAsync(request, TypeInfo<T>(), cancellationToken);

    /// <summary>Runs a query with an operation name or other settings and returns its typed <c>data</c>.</summary>
    /// <typeparam name="T">The type of <c>data</c>.</typeparam>
    /// <param name="request">The operation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded <c>data</c>.</returns>
    /// <exception cref="SalvoGraphQLException">The response had errors; the partial data is on the exception.</exception>
    /// <exception cref="SalvoException">Any HTTP, timeout, connection or decoding failure.</exception>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public Task<T> QueryAsync<T>(GraphQLRequest request, CancellationToken cancellationToken = default) =>
        QueryAsync(request, TypeInfo<T>(), cancellationToken);

    /// <summary>Runs a mutation and returns its typed <c>data</c>; retried after transient failures only with an <see cref="GraphQLRequest.IdempotencyKey"/>.</summary>
    /// <typeparam name="T">The type of <c>data</c>.</typeparam>
    /// <param name="request">The operation.</param>
    /// <param name="dataType">Metadata for <typeparamref name="T"/> from a <c>JsonSerializerContext</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded <c>data</c>.</returns>
    /// <exception cref="SalvoGraphQLException">The response had errors; the partial data is on the exception.</exception>
    /// <exception cref="SalvoException">Any HTTP, timeout, connection or decoding failure.</exception>
    public Task<T> MutateAsync<T>(GraphQLRequest request, JsonTypeInfo<T> dataType, CancellationToken cancellationToken = default)
    {
        Check(request, dataType);
        var http = Post(request);
        if (!string.IsNullOrEmpty(request.IdempotencyKey))
            http.Headers.TryAddWithoutValidation(RetryHandler.IdempotencyKeyHeader, request.IdempotencyKey);
        return _client.SendGraphQLAsync(http, dataType, request.OperationName, cancellationToken);
    }

    /// <summary>Closes the subscription socket cleanly: every subscription is completed on the server, then the socket is closed with 1000.</summary>
    /// <returns>A task that completes when the socket is closed.</returns>
    public ValueTask DisposeAsync() => _socket.DisposeAsync();

    /// <summary>Drops the socket at once (the synchronous <see cref="SalvoClient.Dispose"/>).</summary>
    internal void Abort() => _socket.Abort();

    private HttpRequestMessage Post(GraphQLRequest request)
    {
        var http = _client.CreateRequest(HttpMethod.Post, _options.Endpoint);
        var content = new ByteArrayContent(GraphQLJson.Payload(request, _json));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(JsonMedia.ContentType, "utf-8");
        http.Content = content;
        http.Headers.Accept.ParseAdd(JsonMedia.ContentType);
        return http;
    }

    private string QueryUrl(GraphQLRequest request)
    {
        var url = new StringBuilder(_options.Endpoint);
        url.Append(_options.Endpoint.Contains('?', StringComparison.Ordinal) ? '&' : '?');
        url.Append("query=").Append(Uri.EscapeDataString(request.Query));
        if (request.Variables is not null)
            url.Append("&variables=").Append(Uri.EscapeDataString(GraphQLJson.Variables(request.Variables, _json)));
        if (request.OperationName is not null)
            url.Append("&operationName=").Append(Uri.EscapeDataString(request.OperationName));
        return url.ToString();
    }

    private static void Check<T>(GraphQLRequest request, JsonTypeInfo<T> dataType)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(dataType);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Query, nameof(request));
    }

    private JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)_json.GetTypeInfo(typeof(T));

    private static Uri SocketUrl(SalvoClient client, GraphQLOptions options)
    {
        if (options.WebSocketEndpoint is { } ws)
            return ws;
        using var probe = client.CreateRequest(HttpMethod.Get, options.Endpoint);
        var builder = new UriBuilder(probe.RequestUri!) { Scheme = probe.RequestUri!.Scheme == Uri.UriSchemeHttps ? Uri.UriSchemeWss : Uri.UriSchemeWs };
        return builder.Uri;
    }
}
