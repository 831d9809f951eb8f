using System.Buffers;

namespace Salvo.Http;

/// <summary>A response body read into a rented buffer; return it with <see cref="Dispose"/>.</summary>
internal readonly struct PooledBody(byte[] buffer, int length) : IDisposable
{
    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, length);

    public int Length => length;

    public byte[] ToArray() => Span.ToArray();

    public void Dispose()
    {
        if (buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
