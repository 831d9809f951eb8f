using System.Text.Json;
using System.Threading.Channels;

namespace Salvo.GraphQL;

/// <summary>One active subscription on the socket: its id, its <c>subscribe</c> payload and the buffer its consumer reads.</summary>
internal sealed class GraphQLSubscription(string id, byte[] payload, int buffer)
{
    private readonly Channel<GraphQLSubscriptionMessage> _messages = Channel.CreateBounded<GraphQLSubscriptionMessage>(
        new BoundedChannelOptions(buffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public string Id { get; } = id;

    /// <summary>The operation as the <c>subscribe</c> message's payload (UTF-8 JSON), kept to re-subscribe after a reconnect.</summary>
    public byte[] Payload { get; } = payload;

    /// <summary>The connection generation the <c>subscribe</c> went out on (guarded by the socket's lock); 0 for none yet.</summary>
    public int SentOn { get; set; }

    public ChannelReader<GraphQLSubscriptionMessage> Reader => _messages.Reader;

    /// <summary>
    /// Hands one event to the consumer, waiting while its buffer is full (back-pressure, never a drop). An event for a
    /// consumer that has already left (its subscription ended meanwhile) is discarded.
    /// </summary>
    public async ValueTask NextAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        try
        {
            await _messages.Writer.WriteAsync(new GraphQLSubscriptionMessage(payload, null, null), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The consumer stopped; the server is being sent complete.
        }
    }

    /// <summary>Ends the subscription: completed by the server (both null), failed by its <c>error</c> message, or failed by the socket.</summary>
    public void End(IReadOnlyList<GraphQLError>? errors = null, Exception? failure = null)
    {
        // The terminal message is queued without waiting: if the buffer is full, completing the channel with the
        // failure still reaches the consumer once it has read what is buffered.
        if (errors is null && failure is null)
            _messages.Writer.TryComplete();
        else if (!_messages.Writer.TryWrite(new GraphQLSubscriptionMessage(null, errors, failure)))
            _messages.Writer.TryComplete(failure ?? GraphQLResponseReader.Failed<object>(errors!, null, null, null, null));
        else
            _messages.Writer.TryComplete();
    }
}

/// <summary>What a subscription's consumer reads: a <c>next</c> payload, the errors of an <c>error</c> message, or a socket failure.</summary>
internal readonly record struct GraphQLSubscriptionMessage(JsonElement? Next, IReadOnlyList<GraphQLError>? Errors, Exception? Failure);
