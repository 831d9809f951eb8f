using System.Buffers;
using System.Text;

namespace Salvo.Http;

/// <summary>Reads response bodies with a hard size limit, without over-reading past it.</summary>
internal static class BodyReader
{
    private const int InitialUnknownLength = 16 * 1024;

    /// <summary>Reads the whole body into a pooled buffer, failing as soon as it passes <paramref name="maxSize"/>.</summary>
    public static async ValueTask<PooledBody> ReadAsync(HttpContent content, long maxSize, HttpRequestMessage? request, CancellationToken cancellationToken)
    {
        var declared = content.Headers.ContentLength;
        if (declared > maxSize)
            throw new SalvoResponseTooLargeException(maxSize, declared, ErrorContexts.Of(request));
        if (declared == 0)
            return new PooledBody([], 0);

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var size = declared is { } d ? (int)d : (int)Math.Min(InitialUnknownLength, maxSize + 1);
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            var length = 0;
            try
            {
                while (true)
                {
                    if (declared is { } expected && length == expected)
                        break;
                    if (length == buffer.Length)
                    {
                        if (length > maxSize)
                            throw new SalvoResponseTooLargeException(maxSize, declared, ErrorContexts.Of(request));
                        buffer = Grow(buffer, length, (int)Math.Min((long)buffer.Length * 2, maxSize + 1));
                    }
                    var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                        break;
                    length += read;
                    if (length > maxSize)
                        throw new SalvoResponseTooLargeException(maxSize, declared, ErrorContexts.Of(request));
                }
                return new PooledBody(buffer, length);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
    }

    /// <summary>Reads at most <see cref="SalvoResponseInfo.MaxPreviewBytes"/> bytes of a body as text, never throwing for I/O.</summary>
    public static async ValueTask<string?> ReadPreviewAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength == 0)
            return null;
        var buffer = ArrayPool<byte>.Shared.Rent(SalvoResponseInfo.MaxPreviewBytes);
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var length = 0;
            while (length < SalvoResponseInfo.MaxPreviewBytes)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(length, SalvoResponseInfo.MaxPreviewBytes - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    break;
                length += read;
            }
            return length == 0 ? null : Preview(buffer.AsSpan(0, length));
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException)
        {
            // The preview is a courtesy: a body that cannot be read must not hide the status error.
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes at most <see cref="SalvoResponseInfo.MaxPreviewBytes"/> bytes as UTF-8 text.</summary>
    public static string Preview(ReadOnlySpan<byte> body)
    {
        var slice = body.Length > SalvoResponseInfo.MaxPreviewBytes ? body[..SalvoResponseInfo.MaxPreviewBytes] : body;
        var text = Encoding.UTF8.GetString(slice);
        return body.Length > slice.Length ? text + "…" : text;
    }

    private static byte[] Grow(byte[] buffer, int length, int newSize)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(newSize);
        buffer.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }
}
