using System.Net;
using System.Net.Http.Headers;
using Salvo.Caching;

namespace Salvo.Tests.Caching;

/// <summary>The server's caching headers, as a private cache reads them (RFC 9111), on a fake clock.</summary>
public class CacheHttpSemanticsTests
{
    private static readonly TimeSpan Hair = TimeSpan.FromMilliseconds(1);

    private static (CacheTestOrigin Origin, HttpMessageInvoker Http, ResponseCache Cache) Server(Action<HttpRequestMessage, int, HttpResponseMessage> shape, CacheOptions? options = null)
    {
        var origin = new CacheTestOrigin { Shape = shape };
        var (http, cache) = origin.Client(options ?? new CacheOptions { Enabled = true });
        return (origin, http, cache);
    }

    [Fact]
    public async Task MaxAge_FreshUntilItEnds_AgeHeaderCountsAgainstIt()
    {
        var (origin, http, _) = Server((_, _, r) =>
        {
            r.Headers.CacheControl = new CacheControlHeaderValue { MaxAge = TimeSpan.FromSeconds(60), Private = true };
            r.Headers.Age = TimeSpan.FromSeconds(20);
        });

        await http.BodyAsync("a");
        origin.Clock.Advance(TimeSpan.FromSeconds(40) - Hair);
        (await http.BodyAsync("a")).ShouldBe("body 1", "private is fine for a private cache");
        origin.Clock.Advance(Hair * 2);
        (await http.BodyAsync("a")).ShouldBe("body 2", "60 s max-age less 20 s of age");
    }

    [Fact]
    public async Task SMaxAge_Ignored_AsAPrivateCache()
    {
        var (origin, http, _) = Server((_, _, r) => r.Headers.CacheControl = new CacheControlHeaderValue { SharedMaxAge = TimeSpan.FromMinutes(5) });

        await http.BodyAsync("a");
        (await http.BodyAsync("a")).ShouldBe("body 2");
    }

    [Fact]
    public async Task NoStore_NeverStored_EvenUnderARule()
    {
        var (origin, http, cache) = Server((_, _, r) => r.Headers.CacheControl = new CacheControlHeaderValue { NoStore = true },
            new CacheOptions().Rule("*", TimeSpan.FromMinutes(5)));

        await http.BodyAsync("a");
        (await http.BodyAsync("a")).ShouldBe("body 2");
        cache.Counters.Stored.ShouldBe(0);
    }

    [Fact]
    public async Task NoCache_StoredButRevalidatedEveryTime()
    {
        var (origin, http, cache) = Server((req, n, r) =>
        {
            r.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
            r.Headers.ETag = new EntityTagHeaderValue("\"v1\"");
            if (req.Headers.IfNoneMatch.Count > 0)
                r.StatusCode = HttpStatusCode.NotModified;
        });

        (await http.BodyAsync("a")).ShouldBe("body 1");
        (await http.BodyAsync("a")).ShouldBe("body 1", "304: the stored body");
        (await http.BodyAsync("a")).ShouldBe("body 1");

        origin.Calls.ShouldBe(3);
        origin.Seen[1].Headers.IfNoneMatch.Single().Tag.ShouldBe("\"v1\"");
        cache.Counters.Revalidated.ShouldBe(2);
        cache.Counters.BytesSaved.ShouldBe(2 * "body 1".Length);
    }

    [Fact]
    public async Task Expires_RelativeToDate_AndAnInvalidExpiresIsAlreadyExpired()
    {
        var (origin, http, _) = Server((req, n, r) =>
        {
            if (req.RequestUri!.AbsolutePath.EndsWith("bad", StringComparison.Ordinal))
            {
                r.Content.Headers.TryAddWithoutValidation("Expires", "0");
                return;
            }
            var now = new CacheTestOrigin().Clock.GetUtcNow(); // the server's clock is 1 h behind ours: only Expires − Date counts
            r.Headers.Date = now - TimeSpan.FromHours(1);
            r.Content.Headers.Expires = now - TimeSpan.FromHours(1) + TimeSpan.FromSeconds(30);
        });

        await http.BodyAsync("good");
        origin.Clock.Advance(TimeSpan.FromSeconds(30) - Hair);
        (await http.BodyAsync("good")).ShouldBe("body 1");
        await http.BodyAsync("bad");
        (await http.BodyAsync("bad")).ShouldBe("body 3");
    }

    [Fact]
    public async Task LastModified_RevalidatedWithIfModifiedSince()
    {
        var stamp = "Tue, 01 Dec 2026 10:00:00 GMT";
        var (origin, http, cache) = Server((req, n, r) =>
        {
            r.Headers.CacheControl = new CacheControlHeaderValue { MaxAge = TimeSpan.FromSeconds(10) };
            r.Content.Headers.TryAddWithoutValidation("Last-Modified", stamp);
            if (req.Headers.IfModifiedSince is not null)
            {
                r.StatusCode = HttpStatusCode.NotModified;
                r.Headers.CacheControl = new CacheControlHeaderValue { MaxAge = TimeSpan.FromSeconds(60) };
            }
        });

        await http.BodyAsync("a");
        origin.Clock.Advance(TimeSpan.FromSeconds(10) + Hair);
        (await http.BodyAsync("a")).ShouldBe("body 1");
        origin.Seen[1].Headers.IfModifiedSince.ShouldBe(DateTimeOffset.Parse(stamp, System.Globalization.CultureInfo.InvariantCulture));
        origin.Clock.Advance(TimeSpan.FromSeconds(60) - Hair);
        (await http.BodyAsync("a")).ShouldBe("body 1", "the 304's max-age=60 replaced the stored 10");
        origin.Calls.ShouldBe(2);
        cache.Counters.Revalidated.ShouldBe(1);
    }

    [Fact]
    public async Task Revalidation_200_ReplacesTheStoredAnswer_AndTheRequestKeepsNoValidators()
    {
        var (origin, http, _) = Server((req, n, r) =>
        {
            r.Headers.CacheControl = new CacheControlHeaderValue { MaxAge = TimeSpan.FromSeconds(10) };
            r.Headers.ETag = new EntityTagHeaderValue($"\"v{n}\"");
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(CacheTestOrigin.Base, "a"));

        await http.BodyAsync("a");
        origin.Clock.Advance(TimeSpan.FromSeconds(11));
        (await http.SendAsync(request, default)).Dispose();
        request.Headers.IfNoneMatch.Count.ShouldBe(0, "the validators the cache added are taken off again");
        (await http.BodyAsync("a")).ShouldBe("body 2");
    }

    [Fact]
    public async Task Vary_SelectsAVariantByTheNamedRequestHeaders()
    {
        var (origin, http, _) = Server((req, n, r) =>
        {
            r.Headers.CacheControl = new CacheControlHeaderValue { MaxAge = TimeSpan.FromMinutes(1) };
            r.Headers.Vary.Add("Accept-Language");
        });
        void En(HttpRequestMessage r) => r.Headers.TryAddWithoutValidation("Accept-Language", "en");
        void De(HttpRequestMessage r) => r.Headers.TryAddWithoutValidation("Accept-Language", "de");

        (await http.BodyAsync("a", En)).ShouldBe("body 1");
        (await http.BodyAsync("a", De)).ShouldBe("body 2");
        (await http.BodyAsync("a", En)).ShouldBe("body 1");
        (await http.BodyAsync("a", De)).ShouldBe("body 2");
        (await http.BodyAsync("a")).ShouldBe("body 3", "no Accept-Language is a variant too");
        origin.Calls.ShouldBe(3);
    }

    [Fact]
    public async Task VaryStar_SetCookie_AndTooLarge_NotStored()
    {
        var (origin, http, cache) = Server((req, n, r) =>
        {
            r.Headers.CacheControl = new CacheControlHeaderValue { MaxAge = TimeSpan.FromMinutes(1) };
            switch (req.RequestUri!.AbsolutePath)
            {
                case "/v1/star": r.Headers.Vary.Add("*"); break;
                case "/v1/cookie": r.Headers.TryAddWithoutValidation("Set-Cookie", "session=s3cr3t"); break;
                case "/v1/large": r.Content = new ByteArrayContent(new byte[100]); break;
            }
        }, new CacheOptions { Enabled = true, MaxEntryBytes = 50 });

        foreach (var path in new[] { "star", "cookie", "large" })
        {
            await http.BodyAsync(path);
            await http.BodyAsync(path);
        }
        origin.Calls.ShouldBe(6);
        cache.Counters.Stored.ShouldBe(0);
    }

    [Fact]
    public async Task SetCookie_ReachesTheCallerThatFetchedIt()
    {
        var (_, http, _) = Server((_, _, r) => r.Headers.TryAddWithoutValidation("Set-Cookie", "session=1"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(CacheTestOrigin.Base, "login"));

        using var response = await http.SendAsync(request, default);
        response.Headers.GetValues("Set-Cookie").ShouldBe(["session=1"]);
    }

    [Fact]
    public async Task LargeBodyWithoutLength_PassesThroughWhole()
    {
        var body = new string('x', 5000);
        var origin = new CacheTestOrigin
        {
            Respond = (req, n, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StreamContent(new UnknownLengthStream(System.Text.Encoding.ASCII.GetBytes(body))),
                RequestMessage = req,
            }),
        };
        var (http, cache) = origin.Client(new CacheOptions { MaxEntryBytes = 100 }.Rule("*", TimeSpan.FromMinutes(1)));

        (await http.BodyAsync("big")).ShouldBe(body);
        (await http.BodyAsync("big")).ShouldBe(body);
        origin.Calls.ShouldBe(2);
        cache.Counters.Stored.ShouldBe(0);
    }

    [Fact]
    public async Task UnsafeMethod_Succeeds_InvalidatesTheCallersStoredAnswer()
    {
        var (origin, http, _) = Server((_, _, _) => { }, new CacheOptions().Rule("*", TimeSpan.FromMinutes(1)));

        await http.BodyAsync("cart");
        using (var put = new HttpRequestMessage(HttpMethod.Put, new Uri(CacheTestOrigin.Base, "cart")) { Content = new StringContent("{}") })
            (await http.SendAsync(put, default)).Dispose();
        (await http.BodyAsync("cart")).ShouldBe("body 3");
    }

    [Fact]
    public async Task EndlessStreamNotStored_ReachesTheCallerAtOnce_EventStreamsAndUpgradesBypassed()
    {
        var origin = new CacheTestOrigin
        {
            Respond = (req, n, _) =>
            {
                var content = new StreamContent(new EndlessStream());
                if (req.RequestUri!.AbsolutePath.EndsWith("sse", StringComparison.Ordinal))
                    content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = req });
            },
        };
        var (http, cache) = origin.Client(new CacheOptions().Rule("sse", TimeSpan.FromMinutes(1)));

        foreach (var setup in new Action<HttpRequestMessage>[]
        {
            _ => { },
            r => r.Headers.Accept.ParseAdd("text/event-stream"),
            r => r.Headers.TryAddWithoutValidation("Upgrade", "websocket"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(CacheTestOrigin.Base, "events"));
            setup(request);
            await Check(request);
        }
        using (var ruled = new HttpRequestMessage(HttpMethod.Get, new Uri(CacheTestOrigin.Base, "sse")))
            await Check(ruled); // a rule matches, but an event stream is never held
        cache.Counters.Stored.ShouldBe(0);

        async Task Check(HttpRequestMessage request)
        {
            using var response = await http.SendAsync(request, default).WaitAsync(TimeSpan.FromSeconds(30));
            var buffer = new byte[8];
            (await (await response.Content.ReadAsStreamAsync()).ReadAsync(buffer)).ShouldBeGreaterThan(0);
        }
    }

    /// <summary>A stream that sends one event and then waits for the next, forever, as an event stream does.</summary>
    private sealed class EndlessStream : Stream
    {
        private int _sent;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _sent, 1) == 0)
                return Read(buffer.Span[..Math.Min(buffer.Length, 8)]);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(Span<byte> buffer)
        {
            buffer.Fill((byte)'x');
            return buffer.Length;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A stream whose length is unknown, as a chunked body is.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
