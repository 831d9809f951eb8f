using Salvo.Http;

namespace Salvo.Realtime;

/// <summary>
/// Guards a server-sent-event body while the parser reads it. Size: a server that never ends an event (no blank line)
/// would otherwise grow the parser's buffer without limit, so the bytes since the last blank line are counted, whatever
/// the line ends (<c>\n</c>, <c>\r\n</c> or <c>\r</c>). Silence: with an idle timeout, a read that gets nothing for
/// that long fails as a <see cref="TimeoutException"/>, which the stream treats as a dropped connection.
/// </summary>
internal sealed class SseEventLimitStream(Stream inner, int maxEventSize, string url, TimeSpan idleTimeout, TimeProvider timeProvider) : ReadOnlyStream
{
    private long _eventBytes;
    private int _lineBytes;
    private bool _afterCarriageReturn;

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Count(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        if (idleTimeout == Timeout.InfiniteTimeSpan)
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var idle = new CancellationTokenSource(idleTimeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, cancellationToken);
            try
            {
                read = await inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The stream {url} was silent for {idleTimeout.TotalSeconds:0.###} s.", ex);
            }
        }
        Count(buffer.Span[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }

    private void Count(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b == (byte)'\n' && _afterCarriageReturn)
            {
                _afterCarriageReturn = false; // the second half of "\r\n"
                continue;
            }
            _afterCarriageReturn = b == (byte)'\r';
            if (b is (byte)'\n' or (byte)'\r')
            {
                if (_lineBytes == 0)
                    _eventBytes = 0; // a blank line: the event is complete
                _lineBytes = 0;
                continue;
            }
            _lineBytes++;
            if (++_eventBytes > maxEventSize)
                throw new SalvoRealtimeException($"An event on {url} is larger than {maxEventSize} bytes; the stream was ended.", url);
        }
    }
}
