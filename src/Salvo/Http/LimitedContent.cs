using System.Net;

namespace Salvo.Http;

/// <summary>
/// Wraps a response's content so that however the caller reads it — stream, buffer, string — no more than
/// the limit is read; crossing it is a <see cref="SalvoResponseTooLargeException"/>.
/// </summary>
internal sealed class LimitedContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly long _limit;
    private readonly HttpRequestMessage? _request;

    public LimitedContent(HttpContent inner, long limit, HttpRequestMessage? request)
    {
        _inner = inner;
        _limit = limit;
        _request = request;
        foreach (var header in inner.Headers)
            Headers.TryAddWithoutValidation(header.Key, header.Value);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
            await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new LimitedReadStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _limit, _request, owner: null);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _inner.Dispose();
        base.Dispose(disposing);
    }
}
