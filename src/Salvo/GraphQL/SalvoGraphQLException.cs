using System.Net;
using System.Text.Json;

namespace Salvo.GraphQL;

/// <summary>
/// The server answered a GraphQL operation with an <c>errors</c> array (over HTTP, or in a subscription's
/// <c>next</c> or <c>error</c> message). Whatever <c>data</c> it still returned is kept: fields that did not fail
/// are in <see cref="PartialData"/>, decoded as the requested type when that was possible.
/// </summary>
/// <remarks>The messages come from the server; Salvo adds nothing secret to them (no headers, a redacted URL).</remarks>
public sealed class SalvoGraphQLException : SalvoException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">A summary, free of secrets.</param>
    /// <param name="errors">The errors, at least one.</param>
    /// <param name="partialData">The <c>data</c> decoded as the requested type, when there was data and it decoded.</param>
    /// <param name="partialDataJson">The raw <c>data</c>, when there was any.</param>
    /// <param name="operationName">The operation that failed, if it was named.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoGraphQLException(string message, IReadOnlyList<GraphQLError> errors, object? partialData, JsonElement? partialDataJson, string? operationName = null, SalvoErrorContext? context = null)
        : base(message, null, context)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Errors = errors;
        PartialData = partialData;
        PartialDataJson = partialDataJson;
        OperationName = operationName;
    }

    /// <summary>Every error the server reported, in its order.</summary>
    public IReadOnlyList<GraphQLError> Errors { get; }

    /// <summary>The partial <c>data</c> decoded as the type the call asked for, or <see langword="null"/> when there was none or it did not decode (see <see cref="PartialDataJson"/>).</summary>
    public object? PartialData { get; }

    /// <summary>The raw <c>data</c> the server returned beside the errors (failed fields are <c>null</c> in it), or <see langword="null"/> when it returned none.</summary>
    public JsonElement? PartialDataJson { get; }

    /// <summary>The operation's name, when the request named it.</summary>
    public string? OperationName { get; }

    /// <summary>Always 200 over HTTP: a GraphQL error is not an HTTP error.</summary>
    public override HttpStatusCode? StatusCode => Url is null ? null : HttpStatusCode.OK;

    /// <summary>The partial data as <typeparamref name="T"/>, or <see langword="default"/> when there is none of that type.</summary>
    /// <typeparam name="T">The type the call asked for.</typeparam>
    /// <returns>The fields that did not fail, as far as they could be decoded.</returns>
    public T? GetPartialData<T>() => PartialData is T value ? value : default;
}
