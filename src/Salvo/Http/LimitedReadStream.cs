namespace Salvo.Http;

/// <summary>
/// A read-only view of a response stream that fails with <see cref="SalvoResponseTooLargeException"/> once
/// more than the limit has been read, and disposes the response (returning its connection) when disposed.
/// </summary>
internal sealed class LimitedReadStream(Stream inner, long limit, HttpRequestMessage? request, IDisposable? owner) : ReadOnlyStream
{
    private long _read;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            owner?.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        _read += read;
        if (_read > limit)
            throw new SalvoResponseTooLargeException(limit, null, ErrorContexts.Of(request));
        return read;
    }
}
