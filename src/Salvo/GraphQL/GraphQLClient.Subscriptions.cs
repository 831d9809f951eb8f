using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;

namespace Salvo.GraphQL;

public sealed partial class GraphQLClient
{
    /// <summary>
    /// Subscribes over the shared <c>graphql-transport-ws</c> socket and yields each event's typed <c>data</c>. The
    /// subscription survives disconnects: after any close or network failure the socket reconnects with jittered backoff,
    /// sends a fresh <c>connection_init</c> and subscribes again.
    /// </summary>
    /// <typeparam name="T">The type of each event's <c>data</c>.</typeparam>
    /// <param name="query">The subscription document.</param>
    /// <param name="variables">The variables (e.g. an anonymous object), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Ends the subscription (the server is sent <c>complete</c>).</param>
    /// <returns>The events, until the server completes the subscription, the caller stops, or a failure reconnecting cannot fix.</returns>
    /// <exception cref="SalvoGraphQLException">The server rejected the subscription (<c>error</c>) or sent an event with errors.</exception>
    /// <exception cref="Realtime.SalvoRealtimeException">The socket broke the protocol or could not be reconnected within <see cref="Realtime.ReconnectOptions.MaxAttempts"/>.</exception>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public IAsyncEnumerable<T> SubscribeAsync<T>(string query, object? variables = null, CancellationToken cancellationToken = default) =>
        SubscribeAsync(new GraphQLRequest(query) { Variables = variables }, TypeInfo<T>(), cancellationToken);

    /// <summary>Subscribes with an operation name or other settings; see <see cref="SubscribeAsync{T}(string, object?, CancellationToken)"/>.</summary>
    /// <typeparam name="T">The type of each event's <c>data</c>.</typeparam>
    /// <param name="request">The subscription operation.</param>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The events.</returns>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public IAsyncEnumerable<T> SubscribeAsync<T>(GraphQLRequest request, CancellationToken cancellationToken = default) =>
        SubscribeAsync(request, TypeInfo<T>(), cancellationToken);

    /// <summary>Subscribes with source-generated metadata; see <see cref="SubscribeAsync{T}(string, object?, CancellationToken)"/>.</summary>
    /// <typeparam name="T">The type of each event's <c>data</c>.</typeparam>
    /// <param name="request">The subscription operation.</param>
    /// <param name="dataType">Metadata for <typeparamref name="T"/> from a <c>JsonSerializerContext</c>.</param>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<T> SubscribeAsync<T>(GraphQLRequest request, JsonTypeInfo<T> dataType, CancellationToken cancellationToken = default)
    {
        Check(request, dataType);
        var payload = GraphQLJson.Payload(request, _json);
        return SubscribeCoreAsync(payload, request.OperationName, dataType, cancellationToken);
    }

    private async IAsyncEnumerable<T> SubscribeCoreAsync<T>(byte[] payload, string? operationName, JsonTypeInfo<T> dataType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var subscription = await _socket.AddAsync(payload, cancellationToken).ConfigureAwait(false);
        try
        {
            while (await subscription.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (subscription.Reader.TryRead(out var message))
                {
                    if (message.Failure is { } failure)
                        throw failure;
                    if (message.Errors is { } errors)
                        throw GraphQLResponseReader.Failed(errors, null, dataType, operationName, null);
                    yield return GraphQLResponseReader.Read(message.Next!.Value, dataType, operationName, null);
                }
            }
        }
        finally
        {
            await _socket.RemoveAsync(subscription).ConfigureAwait(false);
        }
    }
}
