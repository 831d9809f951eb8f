using System.Net;
using Salvo.Tests.Support;

namespace Salvo.Tests.Client;

public class SalvoClientBodyLimitTests
{
    private const int Limit = 1000;

    private static SalvoClient Client(StubHandler stub) =>
        new(stub, new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), MaxResponseSize = Limit });

    private static HttpResponseMessage Body(int size, bool declareLength) => new(HttpStatusCode.OK)
    {
        Content = declareLength ? new ByteArrayContent(new byte[size]) : new StreamContent(new UnknownLengthStream(size)),
    };

    [Fact]
    public async Task GetBytesAsync_DeclaredLengthOverLimit_ThrowsWithoutReading()
    {
        await using var client = Client(new StubHandler(_ => Body(Limit + 1, declareLength: true)));

        var ex = await Should.ThrowAsync<SalvoResponseTooLargeException>(() => client.GetBytesAsync("big"));

        ex.Limit.ShouldBe(Limit);
        ex.DeclaredLength.ShouldBe(Limit + 1);
    }

    [Fact]
    public async Task GetBytesAsync_UndeclaredLengthOverLimit_StopsAtLimit()
    {
        var stream = new UnknownLengthStream(10 * Limit);
        await using var client = Client(new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(stream) }));

        var ex = await Should.ThrowAsync<SalvoResponseTooLargeException>(() => client.GetBytesAsync("big"));

        ex.DeclaredLength.ShouldBeNull();
        stream.Served.ShouldBeLessThan(5 * Limit, "reading stops soon after the limit is crossed");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetBytesAsync_ExactlyAtLimit_Succeeds(bool declareLength)
    {
        await using var client = Client(new StubHandler(_ => Body(Limit, declareLength)));

        (await client.GetBytesAsync("ok")).Length.ShouldBe(Limit);
    }

    [Fact]
    public async Task GetStreamAsync_ReadingPastLimit_Throws()
    {
        await using var client = Client(new StubHandler(_ => Body(Limit * 3, declareLength: false)));

        await using var stream = await client.GetStreamAsync("big");

        await Should.ThrowAsync<SalvoResponseTooLargeException>(() => stream.CopyToAsync(Stream.Null));
    }

    [Fact]
    public async Task SendAsync_BufferedBodyOverLimit_Throws()
    {
        await using var client = Client(new StubHandler(_ => Body(Limit * 3, declareLength: false)));

        await Should.ThrowAsync<SalvoResponseTooLargeException>(() => client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "big")));
    }

    [Fact]
    public async Task SendAsync_HeadersReadThenReadPastLimit_Throws()
    {
        await using var client = Client(new StubHandler(_ => Body(Limit * 3, declareLength: false)));

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "big"), HttpCompletionOption.ResponseHeadersRead);

        await Should.ThrowAsync<SalvoResponseTooLargeException>(() => response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>A body of a given size whose length is not declared (like chunked encoding).</summary>
    private sealed class UnknownLengthStream(int size) : Stream
    {
        public int Served { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 256), size - Served);
            Served += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
