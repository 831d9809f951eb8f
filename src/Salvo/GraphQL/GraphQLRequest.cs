namespace Salvo.GraphQL;

/// <summary>One GraphQL operation to send: the document, its variables and, when the document holds several, which to run.</summary>
/// <param name="Query">The GraphQL document, e.g. <c>query($id: ID!) { event(id: $id) { price } }</c>.</param>
public sealed record GraphQLRequest(string Query)
{
    /// <summary>
    /// The variables: an object whose properties are the variable names (an anonymous type, a record, a dictionary or a
    /// <see cref="System.Text.Json.JsonElement"/>), serialized with the client's <see cref="SalvoClientOptions.Json"/>
    /// settings; <see langword="null"/> for none.
    /// </summary>
    public object? Variables { get; init; }

    /// <summary>The operation to run when <see cref="Query"/> holds more than one; <see langword="null"/> otherwise.</summary>
    public string? OperationName { get; init; }

    /// <summary>
    /// For a mutation: an <c>Idempotency-Key</c> sent with it, which lets the retry stage repeat it after a transient
    /// failure (the server must honour the key). Without one a mutation is sent once. Ignored for queries and subscriptions.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}
