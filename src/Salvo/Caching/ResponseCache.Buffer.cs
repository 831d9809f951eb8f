using System.Buffers;

namespace Salvo.Caching;

public sealed partial class ResponseCache
{
    /// <summary>The first pooled buffer for a body of unknown length; it doubles as the body grows.</summary>
    private const int FirstChunk = 16 * 1024;

    /// <summary>
    /// Reads the body into memory, up to <see cref="CacheOptions.MaxEntryBytes"/>, and gives the response a replayable copy.
    /// A body of known length is read straight into one array of that length; one of unknown length into pooled buffers,
    /// copied once into its exact size at the end. A larger body is not kept: the response gets a stream of what was read
    /// followed by the rest, and the result is <see langword="null"/>.
    /// </summary>
    private async ValueTask<byte[]?> BufferAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var max = Math.Min(_options.MaxEntryBytes, Array.MaxLength - 1);
        var original = response.Content;
        var declared = original.Headers.ContentLength;
        if (declared > max)
            return null;
        var stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        byte[]? body;
        if (declared is { } length)
        {
            var exact = length == 0 ? [] : new byte[length];
            var filled = await FillAsync(stream, exact, cancellationToken).ConfigureAwait(false);
            if (filled < exact.Length)
                body = exact[..filled]; // it ended early: what came is the body, as with any stream
            else if (await NextByteAsync(stream, cancellationToken).ConfigureAwait(false) is var next and >= 0)
                body = await ReadRestAsync(response, original, stream, [.. exact, (byte)next], (int)max, cancellationToken).ConfigureAwait(false); // longer than declared
            else
                body = exact;
        }
        else
        {
            body = await ReadRestAsync(response, original, stream, [], (int)max, cancellationToken).ConfigureAwait(false);
        }
        if (body is null)
            return null;
        response.Content = WithHeaders(new ByteArrayContent(body), original);
        original.Dispose();
        return body;
    }

    private static async ValueTask<int> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            filled += read;
        return filled;
    }

    /// <summary>The next byte, or -1 at the end: whether a body ends at its declared length (a read of zero bytes would tell nothing).</summary>
    private static async ValueTask<int> NextByteAsync(Stream stream, CancellationToken cancellationToken)
    {
        var probe = ArrayPool<byte>.Shared.Rent(1);
        try
        {
            return await stream.ReadAsync(probe.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) == 0 ? -1 : probe[0];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(probe);
        }
    }

    /// <summary>
    /// Reads the rest of a body after <paramref name="prefix"/> into pooled buffers; the exact-size body, or
    /// <see langword="null"/> when it passes <paramref name="max"/> (the response then streams what was read, then the rest).
    /// </summary>
    private static async ValueTask<byte[]?> ReadRestAsync(HttpResponseMessage response, HttpContent original, Stream stream, byte[] prefix, int max, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(prefix.Length + 1, Math.Min(FirstChunk, max + 1)));
        try
        {
            prefix.CopyTo(buffer, 0);
            var count = prefix.Length;
            while (count <= max)
            {
                if (count == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, max + 1L));
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await stream.ReadAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    return buffer[..count];
                count += read;
            }
            response.Content = WithHeaders(new StreamContent(new PrefixedStream(buffer[..count], stream)), original);
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static HttpContent WithHeaders(HttpContent content, HttpContent original)
    {
        foreach (var header in original.Headers.NonValidated)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        return content;
    }
}
