using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using Salvo.Http;

namespace Salvo;

public sealed partial class SalvoClient
{
    private const string ReflectionJson = "Uses reflection-based JSON serialization; pass a JsonTypeInfo from a JsonSerializerContext for trimming and AOT.";

    /// <summary>GETs a URL and decodes the JSON body as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type to decode into.</typeparam>
    /// <param name="url">An absolute URL, or one relative to <see cref="BaseAddress"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded body.</returns>
    /// <exception cref="SalvoHttpException">The server answered 4xx or 5xx.</exception>
    /// <exception cref="SalvoDecodingException">The body is not JSON of that shape.</exception>
    /// <exception cref="SalvoException">A timeout, connection failure, invalid URL or oversized body.</exception>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public Task<T> GetJsonAsync<T>(string url, CancellationToken cancellationToken = default) =>
        GetJsonAsync(url, TypeInfo<T>(), cancellationToken);

    /// <summary>GETs a URL and decodes the JSON body with source-generated metadata (trimming- and AOT-safe).</summary>
    /// <typeparam name="T">The type to decode into.</typeparam>
    /// <param name="url">An absolute URL, or one relative to <see cref="BaseAddress"/>.</param>
    /// <param name="typeInfo">Metadata from a <c>JsonSerializerContext</c>, e.g. <c>MyContext.Default.Game</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded body.</returns>
    /// <exception cref="SalvoHttpException">The server answered 4xx or 5xx.</exception>
    /// <exception cref="SalvoDecodingException">The body is not JSON of that shape.</exception>
    /// <exception cref="SalvoException">A timeout, connection failure, invalid URL or oversized body.</exception>
    public Task<T> GetJsonAsync<T>(string url, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        ThrowIfDisposed();
        return SendJsonCoreAsync(_requests.Create(HttpMethod.Get, url), typeInfo, ownsRequest: true, cancellationToken);
    }

    /// <summary>POSTs <paramref name="body"/> as JSON and decodes the JSON response.</summary>
    /// <typeparam name="TRequest">The body's type.</typeparam>
    /// <typeparam name="TResponse">The response's type.</typeparam>
    /// <param name="url">An absolute URL, or one relative to <see cref="BaseAddress"/>.</param>
    /// <param name="body">The value to send.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded response.</returns>
    /// <exception cref="SalvoException">Any failure, typed as for <see cref="GetJsonAsync{T}(string, CancellationToken)"/>.</exception>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public Task<TResponse> PostJsonAsync<TRequest, TResponse>(string url, TRequest body, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Post, url, body, TypeInfo<TRequest>(), TypeInfo<TResponse>(), cancellationToken);

    /// <summary>POSTs <paramref name="body"/> as JSON and decodes the JSON response, with source-generated metadata.</summary>
    /// <typeparam name="TRequest">The body's type.</typeparam>
    /// <typeparam name="TResponse">The response's type.</typeparam>
    /// <param name="url">An absolute URL, or one relative to <see cref="BaseAddress"/>.</param>
    /// <param name="body">The value to send.</param>
    /// <param name="requestType">Metadata for <typeparamref name="TRequest"/>.</param>
    /// <param name="responseType">Metadata for <typeparamref name="TResponse"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded response.</returns>
    /// <exception cref="SalvoException">Any failure, typed as for <see cref="GetJsonAsync{T}(string, JsonTypeInfo{T}, CancellationToken)"/>.</exception>
    public Task<TResponse> PostJsonAsync<TRequest, TResponse>(string url, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Post, url, body, requestType, responseType, cancellationToken);

    /// <summary>PUTs <paramref name="body"/> as JSON and decodes the JSON response.</summary>
    /// <typeparam name="TRequest">The body's type.</typeparam>
    /// <typeparam name="TResponse">The response's type.</typeparam>
    /// <param name="url">An absolute URL, or one relative to <see cref="BaseAddress"/>.</param>
    /// <param name="body">The value to send.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded response.</returns>
    /// <exception cref="SalvoException">Any failure, typed as for <see cref="GetJsonAsync{T}(string, CancellationToken)"/>.</exception>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public Task<TResponse> PutJsonAsync<TRequest, TResponse>(string url, TRequest body, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Put, url, body, TypeInfo<TRequest>(), TypeInfo<TResponse>(), cancellationToken);

    /// <summary>PATCHes with <paramref name="body"/> as JSON and decodes the JSON response.</summary>
    /// <typeparam name="TRequest">The body's type.</typeparam>
    /// <typeparam name="TResponse">The response's type.</typeparam>
    /// <param name="url">An absolute URL, or one relative to <see cref="BaseAddress"/>.</param>
    /// <param name="body">The value to send.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded response.</returns>
    /// <exception cref="SalvoException">Any failure, typed as for <see cref="GetJsonAsync{T}(string, CancellationToken)"/>.</exception>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public Task<TResponse> PatchJsonAsync<TRequest, TResponse>(string url, TRequest body, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Patch, url, body, TypeInfo<TRequest>(), TypeInfo<TResponse>(), cancellationToken);

    /// <summary>Sends <paramref name="body"/> as JSON with any method and decodes the JSON response.</summary>
    /// <typeparam name="TRequest">The body's type.</typeparam>
    /// <typeparam name="TResponse">The response's type.</typeparam>
    /// <param name="method">The HTTP method.</param>
    /// <param name="url">An absolute URL, or one relative to <see cref="BaseAddress"/>.</param>
    /// <param name="body">The value to send.</param>
    /// <param name="requestType">Metadata for <typeparamref name="TRequest"/>.</param>
    /// <param name="responseType">Metadata for <typeparamref name="TResponse"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded response.</returns>
    /// <exception cref="SalvoException">Any failure, typed as for <see cref="GetJsonAsync{T}(string, JsonTypeInfo{T}, CancellationToken)"/>.</exception>
    public Task<TResponse> SendJsonAsync<TRequest, TResponse>(HttpMethod method, string url, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(requestType);
        ArgumentNullException.ThrowIfNull(responseType);
        ThrowIfDisposed();
        var content = JsonBody.Create(body, requestType);
        var request = _requests.Create(method, url);
        request.Content = content;
        return SendJsonCoreAsync(request, responseType, ownsRequest: true, cancellationToken);
    }

    /// <summary>Sends a request built by the caller and decodes the JSON response, with typed errors.</summary>
    /// <typeparam name="T">The response's type.</typeparam>
    /// <param name="request">The request; a relative URL is resolved against <see cref="BaseAddress"/>.</param>
    /// <param name="typeInfo">Metadata for <typeparamref name="T"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded response.</returns>
    /// <exception cref="SalvoException">Any failure, typed as for <see cref="GetJsonAsync{T}(string, JsonTypeInfo{T}, CancellationToken)"/>.</exception>
    public Task<T> SendJsonAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(typeInfo);
        ThrowIfDisposed();
        _requests.Adopt(request);
        return SendJsonCoreAsync(request, typeInfo, ownsRequest: false, cancellationToken);
    }

    /// <summary>Sends a request built by the caller and decodes the JSON response, with typed errors.</summary>
    /// <typeparam name="T">The response's type.</typeparam>
    /// <param name="request">The request; a relative URL is resolved against <see cref="BaseAddress"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decoded response.</returns>
    /// <exception cref="SalvoException">Any failure, typed as for <see cref="GetJsonAsync{T}(string, CancellationToken)"/>.</exception>
    [RequiresUnreferencedCode(ReflectionJson)]
    [RequiresDynamicCode(ReflectionJson)]
    public Task<T> SendJsonAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        SendJsonAsync(request, TypeInfo<T>(), cancellationToken);

    private Task<T> SendJsonCoreAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> typeInfo, bool ownsRequest, CancellationToken cancellationToken) =>
        ExecuteAsync(request, typeInfo, static (typeInfo, response, body) => JsonBody.Decode(response, body.Span, typeInfo), ownsRequest, cancellationToken);
}
