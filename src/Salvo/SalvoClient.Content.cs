using System.Text;
using Salvo.Http;

namespace Salvo;

public sealed partial class SalvoClient
{
    /// <summary>GETs a URL and returns the body as bytes (bounded by <see cref="SalvoClientOptions.MaxResponseSize"/>).</summary>
    /// <param name="url">An absolute URL, or one relative to <see cref="BaseAddress"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The body.</returns>
    /// <exception cref="SalvoHttpException">The server answered 4xx or 5xx.</exception>
    /// <exception cref="SalvoException">A timeout, connection failure, invalid URL or oversized body.</exception>
    public async Task<byte[]> GetBytesAsync(string url, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        using var request = _requests.Create(HttpMethod.Get, url);
        return await ExecuteAsync(
            request,
            _options.MaxResponseSize,
            static async (max, response, ct) =>
            {
                using var body = await BodyReader.ReadAsync(response.Content, max, response.RequestMessage, ct).ConfigureAwait(false);
                return body.ToArray();
            },
            disposeResponse: true,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GETs a URL and returns the body as text, decoded with the charset the server declared (UTF-8 if none).</summary>
    /// <param name="url">An absolute URL, or one relative to <see cref="BaseAddress"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The body.</returns>
    /// <exception cref="SalvoHttpException">The server answered 4xx or 5xx.</exception>
    /// <exception cref="SalvoException">A timeout, connection failure, invalid URL or oversized body.</exception>
    public async Task<string> GetStringAsync(string url, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        using var request = _requests.Create(HttpMethod.Get, url);
        return await ExecuteAsync(
            request,
            _options.MaxResponseSize,
            static async (max, response, ct) =>
            {
                using var body = await BodyReader.ReadAsync(response.Content, max, response.RequestMessage, ct).ConfigureAwait(false);
                return EncodingOf(response).GetString(body.Span);
            },
            disposeResponse: true,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// GETs a URL and returns the body as a stream to read at the caller's pace (bounded by
    /// <see cref="SalvoClientOptions.MaxResponseSize"/>). Disposing the stream releases the connection. The
    /// total budget ends when the headers arrive; reads are bounded by the token passed to them.
    /// </summary>
    /// <param name="url">An absolute URL, or one relative to <see cref="BaseAddress"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The body stream; dispose it.</returns>
    /// <exception cref="SalvoHttpException">The server answered 4xx or 5xx.</exception>
    /// <exception cref="SalvoException">A timeout, connection failure, invalid URL or oversized body.</exception>
    public async Task<Stream> GetStreamAsync(string url, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var request = _requests.Create(HttpMethod.Get, url);
        try
        {
            return await ExecuteAsync(
                request,
                _options.MaxResponseSize,
                static async (max, response, ct) =>
                {
                    var declared = response.Content.Headers.ContentLength;
                    if (declared > max)
                        throw new SalvoResponseTooLargeException(max, declared, ErrorContexts.Of(response.RequestMessage));
                    var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                    return (Stream)new LimitedReadStream(stream, max, response.RequestMessage, owner: response);
                },
                disposeResponse: false,
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    /// <summary>Sends a DELETE and checks the status; the body, if any, is discarded.</summary>
    /// <param name="url">An absolute URL, or one relative to <see cref="BaseAddress"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has answered with a success status.</returns>
    /// <exception cref="SalvoHttpException">The server answered 4xx or 5xx.</exception>
    /// <exception cref="SalvoException">A timeout, connection failure or invalid URL.</exception>
    public async Task DeleteAsync(string url, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        using var request = _requests.Create(HttpMethod.Delete, url);
        await ExecuteAsync(request, 0, static (_, _, _) => ValueTask.FromResult(true), disposeResponse: true, cancellationToken).ConfigureAwait(false);
    }

    private static Encoding EncodingOf(HttpResponseMessage response)
    {
        var charset = response.Content.Headers.ContentType?.CharSet?.Trim('"');
        if (string.IsNullOrEmpty(charset))
            return Encoding.UTF8;
        try
        {
            return Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }
}
