using System.Net;

namespace Salvo.Tests.Resilience;

/// <summary>Small helpers for the resilience tests: chaining handlers, responses that record their disposal, waiting for a fact.</summary>
internal static class ResilienceKit
{
    /// <summary>Links <paramref name="handlers"/> outermost first around <paramref name="transport"/>.</summary>
    public static HttpMessageInvoker Chain(HttpMessageHandler transport, params DelegatingHandler[] handlers)
    {
        var next = transport;
        for (var i = handlers.Length - 1; i >= 0; i--)
        {
            handlers[i].InnerHandler = next;
            next = handlers[i];
        }
        return new HttpMessageInvoker(next);
    }

    public static HttpRequestMessage Get(string url = "http://api.test/items") => new(HttpMethod.Get, url);

    public static HttpResponseMessage Status(HttpStatusCode status) => new(status) { Content = new TrackedContent() };

    public static HttpResponseMessage Status(int status) => Status((HttpStatusCode)status);

    /// <summary>
    /// Waits until a fact holds that other threads are about to make true (a continuation running after a fake-clock
    /// timer fired). It yields and checks; it never waits for time to pass.
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (limit.IsCancellationRequested)
                throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Yield();
        }
    }
}

/// <summary>A response body that records whether it was disposed.</summary>
internal sealed class TrackedContent : ByteArrayContent
{
    public TrackedContent()
        : base([])
    {
    }

    public bool Disposed { get; private set; }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}

/// <summary>A stream that cannot seek, like a network or pipe stream: it can be read once.</summary>
internal sealed class ForwardOnlyStream(byte[] data) : Stream
{
    private readonly MemoryStream _inner = new(data);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// A transport that reads request bodies the way a real one does — serializing the content to a stream, which
/// does not buffer it — unlike <see cref="Support.StubHandler"/>, whose <c>ReadAsStringAsync</c> buffers the body
/// and would hide a body that cannot be sent twice.
/// </summary>
internal sealed class BodyReadingTransport(Func<int, HttpResponseMessage> respond) : HttpMessageHandler
{
    public List<string> Bodies { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        if (request.Content is not null)
            await request.Content.CopyToAsync(copy, cancellationToken);
        Bodies.Add(System.Text.Encoding.UTF8.GetString(copy.ToArray()));
        return respond(Bodies.Count);
    }
}
