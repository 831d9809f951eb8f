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
    public Task<byte[]> GetBytesAsync(string url, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return ExecuteAsync(_requests.Create(HttpMethod.Get, url), 0, static (_, _, body) => body.ToArray(), ownsRequest: true, cancellationToken);
    }

    /// <summary>GETs a URL and returns the body as text, decoded with the charset the server declared (UTF-8 if none).</summary>
    /// <param name="url">An absolute URL, or one relative to <see cref="BaseAddress"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The body.</returns>
    /// <exception cref="SalvoHttpException">The server answered 4xx or 5xx.</exception>
    /// <exception cref="SalvoException">A timeout, connection failure, invalid URL or oversized body.</exception>
    public Task<string> GetStringAsync(string url, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return ExecuteAsync(
            _requests.Create(HttpMethod.Get, url), 0, static (_, response, body) => EncodingOf(response).GetString(body.Span), ownsRequest: true, cancellationToken);
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
        using var budget = StartCall(request, cancellationToken);
        var response = await SendCheckedAsync(request, budget, cancellationToken).ConfigureAwait(false);
        try
        {
            var max = _options.MaxResponseSize;
            var declared = response.Content.Headers.ContentLength;
            if (declared > max)
                throw new SalvoResponseTooLargeException(max, declared, ErrorContexts.Of(request));
            var stream = await response.Content.ReadAsStreamAsync(budget.Token).ConfigureAwait(false);
            return new LimitedReadStream(stream, max, request, owner: response);
        }
        catch (Exception ex) when (Map(ex, request, budget, cancellationToken) is { } mapped)
        {
            response.Dispose();
            throw mapped;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Sends a DELETE and checks the status; the body, if any, is discarded.</summary>
    /// <param name="url">An absolute URL, or one relative to <see cref="BaseAddress"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has answered with a success status.</returns>
    /// <exception cref="SalvoHttpException">The server answered 4xx or 5xx.</exception>
    /// <exception cref="SalvoException">A timeout, connection failure or invalid URL.</exception>
    public Task DeleteAsync(string url, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return ExecuteAsync(_requests.Create(HttpMethod.Delete, url), 0, static (_, _, _) => true, ownsRequest: true, cancellationToken);
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
