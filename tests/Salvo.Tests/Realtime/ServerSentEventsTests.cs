using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Salvo.Realtime;
using Salvo.Testing;
using Salvo.Tests.Support;

namespace Salvo.Tests.Realtime;

/// <summary>The SSE stream over a stub transport and a fake clock: resume with Last-Event-ID, the server's retry, 204, typed failures.</summary>
public class ServerSentEventsTests
{
    private sealed record Tick(int N);

    private static HttpResponseMessage Stream(string body, string mediaType = "text/event-stream") =>
        new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    private static SalvoClient Client(StubHandler stub, FakeTimeProvider time)
    {
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), TimeProvider = time };
        options.Retry.Enabled = false;
        options.Realtime.Reconnect.Randomizer = () => 0; // every wait is exactly the base (or the server's retry)
        return new SalvoClient(stub, options);
    }

    [Fact]
    public async Task ServerSentEventsAsync_StreamEnds_WaitsTheServersRetryAndResumesAfterTheLastId()
    {
        var time = new FakeTimeProvider();
        var responses = new Queue<HttpResponseMessage>([
            Stream("retry: 5000\n\nid: 1\nevent: tick\ndata: {\"n\":1}\n\nid: 2\ndata: {\"n\":2}\n\n"),
            Stream(": hello\n\ndata: {\"n\":3}\n\nid: 4\ndata: {\"n\":4}\n\n"),
            new HttpResponseMessage(HttpStatusCode.NoContent),
        ]);
        var stub = new StubHandler(_ => responses.Dequeue());
        await using var client = Client(stub, time);
        var received = new List<SseEvent<Tick>>();
        var changes = new List<ConnectionState>();
        client.Realtime.StateChanged += (_, c) => changes.Add(c.State);

        var reading = Task.Run(async () =>
        {
            await foreach (var e in client.Realtime.ServerSentEventsAsync<Tick>("events"))
            {
                lock (received)
                    received.Add(e);
            }
        });
        await UntilAsync(() => Count(received) == 2 && ActiveTimers(time));
        time.Advance(TimeSpan.FromMilliseconds(4999));
        stub.Requests.Count.ShouldBe(1);
        time.Advance(TimeSpan.FromMilliseconds(1.01));
        await UntilAsync(() => Count(received) == 4 && ActiveTimers(time));
        time.Advance(TimeSpan.FromMilliseconds(5000.01)); // the server's retry is remembered across connections
        await reading.WaitAsync(TimeSpan.FromSeconds(10));

        received.Select(e => (e.Data.N, e.EventType, e.Id)).ShouldBe([(1, "tick", "1"), (2, "message", "2"), (3, "message", "2"), (4, "message", "4")]);
        stub.Requests[0].Headers.ContainsKey("Last-Event-ID").ShouldBeFalse();
        stub.Requests[0].Headers["Accept"].ShouldBe("text/event-stream");
        stub.Requests[1].Headers["Last-Event-ID"].ShouldBe("2");
        stub.Requests[2].Headers["Last-Event-ID"].ShouldBe("4");
        changes.ShouldBe([ConnectionState.Connecting, ConnectionState.Connected, ConnectionState.Reconnecting, ConnectionState.Connected, ConnectionState.Reconnecting, ConnectionState.Closed]);
    }

    [Fact]
    public async Task ServerSentEventsAsync_TransientConnectFailure_ReconnectsAfterTheBackoff()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        var stub = new StubHandler(_ => Interlocked.Increment(ref calls) == 1
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "refused")
            : Stream("id: 9\ndata: {\"n\":9}\n\n"));
        await using var client = Client(stub, time);
        var reconnecting = 0;
        client.Realtime.StateChanged += (_, c) => reconnecting += c.State == ConnectionState.Reconnecting ? 1 : 0;

        var first = client.Realtime.ServerSentEventsAsync<Tick>("events", lastEventId: "8").FirstAsync().AsTask();
        await UntilAsync(() => Volatile.Read(ref reconnecting) == 1 && ActiveTimers(time));
        time.Advance(ReconnectOptions.DefaultBaseDelay + TimeSpan.FromMilliseconds(0.01));

        (await first.WaitAsync(TimeSpan.FromSeconds(10))).Data.N.ShouldBe(9);
        stub.Requests.ShouldAllBe(r => r.Headers["Last-Event-ID"] == "8");
    }

    [Fact]
    public async Task ServerSentEventsAsync_ClientError_ThrowsTypedWithoutReconnecting()
    {
        var stub = StubHandler.Json("""{"error":"gone"}""", HttpStatusCode.Gone);
        await using var client = Client(stub, new FakeTimeProvider());

        var error = await Should.ThrowAsync<SalvoHttpException>(async () =>
        {
            await foreach (var _ in client.Realtime.ServerSentEventsAsync<Tick>("events"))
            {
            }
        });

        error.StatusCode.ShouldBe(HttpStatusCode.Gone);
        stub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ServerSentEventsAsync_DataThatIsNotTheType_ThrowsDecodingError()
    {
        var stub = new StubHandler(_ => Stream("data: not json\n\n"));
        await using var client = Client(stub, new FakeTimeProvider());

        var error = await Should.ThrowAsync<SalvoDecodingException>(async () =>
        {
            await foreach (var _ in client.Realtime.ServerSentEventsAsync<Tick>("events"))
            {
            }
        });

        error.BodyPreview.ShouldBe("not json");
    }

    [Fact]
    public async Task ServerSentEventsAsync_MaxAttemptsUsedUp_ThrowsTheLastFailure()
    {
        var time = new FakeTimeProvider();
        var stub = new StubHandler(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"));
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), TimeProvider = time };
        options.Retry.Enabled = false;
        options.Realtime.Reconnect.MaxAttempts = 2;
        await using var client = new SalvoClient(stub, options);
        var reconnecting = 0;
        client.Realtime.StateChanged += (_, c) => reconnecting += c.State == ConnectionState.Reconnecting ? 1 : 0;

        var reading = client.Realtime.ServerSentEventsAsync<Tick>("events").FirstAsync().AsTask();
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await UntilAsync(() => Volatile.Read(ref reconnecting) == attempt && ActiveTimers(time));
            time.Advance(ReconnectOptions.DefaultMaxDelay);
        }

        var error = await Should.ThrowAsync<SalvoConnectionException>(() => reading.WaitAsync(TimeSpan.FromSeconds(10)));
        error.IsTransient.ShouldBeTrue();
        stub.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task ServerSentEventsAsync_EventLargerThanMaxMessageSize_EndsTypedWithoutReconnecting()
    {
        var stub = new StubHandler(_ => Stream("data: \"" + new string('x', 2000) + "\"\n\n"));
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), TimeProvider = new FakeTimeProvider() };
        options.Realtime.MaxMessageSize = 1024;
        await using var client = new SalvoClient(stub, options);

        var error = await Should.ThrowAsync<SalvoRealtimeException>(async () =>
        {
            await foreach (var _ in client.Realtime.ServerSentEventsAsync<string>("events"))
            {
            }
        });

        error.Message.ShouldContain("larger than 1024 bytes");
        error.IsTransient.ShouldBeFalse();
        stub.Requests.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task ServerSentEventsAsync_ManySmallEventsTogetherLargerThanTheLimit_AllArrive(string newline)
    {
        var body = string.Concat(Enumerable.Range(1, 20).Select(i => $"id: {i}{newline}data: {{\"n\":{i},\"pad\":\"{new string('p', 150)}\"}}{newline}{newline}"))
            + $"retry: 1{newline}";
        var responses = new Queue<HttpResponseMessage>([Stream(body), new HttpResponseMessage(HttpStatusCode.NoContent)]);
        var stub = new StubHandler(_ => responses.Dequeue());
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), TimeProvider = new FakeTimeProvider() };
        options.Realtime.MaxMessageSize = 1024;
        options.Realtime.Reconnect.Randomizer = () => 0;
        await using var client = new SalvoClient(stub, options);

        var reading = client.Realtime.ServerSentEventsAsync<Tick>("events").Select(e => e.Data.N).ToListAsync().AsTask();
        await UntilAsync(() => ((FakeTimeProvider)options.TimeProvider).ActiveTimers > 0 || reading.IsCompleted);
        ((FakeTimeProvider)options.TimeProvider).Advance(TimeSpan.FromMilliseconds(1.01));

        (await reading.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe(Enumerable.Range(1, 20));
        stub.Requests[1].Headers["Last-Event-ID"].ShouldBe("20");
    }

    [Fact]
    public async Task ServerSentEventsAsync_Reconnecting_LogsTheRedactedUrlAndTheReason()
    {
        var time = new FakeTimeProvider();
        using var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var calls = 0;
        var stub = new StubHandler(_ => Interlocked.Increment(ref calls) == 1
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "refused")
            : new HttpResponseMessage(HttpStatusCode.NoContent));
        var options = new SalvoClientOptions
        {
            BaseAddress = new Uri("http://api.test/"),
            TimeProvider = time,
            LoggerFactory = loggers,
        };
        options.Retry.Enabled = false;
        await using var client = new SalvoClient(stub, options);

        var reading = client.Realtime.ServerSentEventsAsync<Tick>("events?api_key=s3cret").ToListAsync().AsTask();
        await UntilAsync(() => time.ActiveTimers > 0 || reading.IsCompleted);
        time.Advance(ReconnectOptions.DefaultMaxDelay);
        await reading.WaitAsync(TimeSpan.FromSeconds(10));

        string[] lines;
        lock (logs.Lines)
            lines = [.. logs.Lines];
        var line = lines.Where(l => l.StartsWith("Information:1202:", StringComparison.Ordinal)).ShouldHaveSingleItem();
        line.ShouldContain("http://api.test/events?api_key=***");
        line.ShouldContain("attempt 1");
        lines.ShouldAllBe(l => !l.Contains("s3cret"));
    }

    [Fact]
    public async Task ServerSentEventsAsync_SilentLongerThanIdleTimeout_ReplacesTheConnectionAndResumes()
    {
        var time = new FakeTimeProvider();
        var responses = new Queue<HttpResponseMessage>([
            new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new SilentAfter("id: 5\ndata: {\"n\":5}\n\n"u8.ToArray())) { Headers = { ContentType = new("text/event-stream") } } },
            new HttpResponseMessage(HttpStatusCode.NoContent),
        ]);
        var stub = new StubHandler(_ => responses.Dequeue());
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), TimeProvider = time };
        options.Retry.Enabled = false;
        options.Realtime.IdleTimeout = TimeSpan.FromSeconds(30);
        options.Realtime.Reconnect.Randomizer = () => 0;
        await using var client = new SalvoClient(stub, options);
        var changes = new List<ConnectionStateChange>();
        client.Realtime.StateChanged += (_, c) =>
        {
            lock (changes)
                changes.Add(c);
        };

        var reading = client.Realtime.ServerSentEventsAsync<Tick>("events").Select(e => e.Data.N).ToListAsync().AsTask();
        await UntilAsync(() => time.ActiveTimers > 0 && Count(changes) == 2); // connecting, connected: now the idle timer runs
        time.Advance(TimeSpan.FromSeconds(29.99));
        stub.Requests.Count.ShouldBe(1);
        time.Advance(TimeSpan.FromMilliseconds(10.01));
        await UntilAsync(() => Count(changes) == 3 && time.ActiveTimers > 0); // reconnecting: the backoff timer
        time.Advance(ReconnectOptions.DefaultBaseDelay + TimeSpan.FromMilliseconds(0.01));

        (await reading.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe([5]);
        stub.Requests[1].Headers["Last-Event-ID"].ShouldBe("5");
        lock (changes)
            changes[2].Error!.InnerException.ShouldBeOfType<TimeoutException>();
    }

    /// <summary>A response body that sends its bytes, then stays open and silent until the reader gives up.</summary>
    private sealed class SilentAfter(byte[] first) : Stream
    {
        private readonly MemoryStream _first = new(first);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_first.Position < _first.Length)
                return _first.Read(buffer.Span);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static bool ActiveTimers(FakeTimeProvider time) => time.ActiveTimers > 0;

    private static int Count<T>(List<T> list)
    {
        lock (list)
            return list.Count;
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            limit.Token.ThrowIfCancellationRequested();
            await Task.Delay(1);
        }
    }
}
