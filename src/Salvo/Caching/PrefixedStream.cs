using Salvo.Http;

namespace Salvo.Caching;

/// <summary>A read-only stream of bytes already read followed by the rest of the stream they came from.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest) : ReadOnlyStream
{
    private int _position;

    public override int Read(Span<byte> buffer) => _position < prefix.Length ? Take(buffer) : rest.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _position < prefix.Length ? new(Take(buffer.Span)) : rest.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            rest.Dispose();
        base.Dispose(disposing);
    }

    private int Take(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, prefix.Length - _position);
        prefix.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }
}
