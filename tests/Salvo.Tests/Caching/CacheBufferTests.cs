using System.Net;
using System.Net.Http.Headers;
using Salvo.Caching;
using Salvo.Tests.Resilience;

namespace Salvo.Tests.Caching;

/// <summary>
/// How a fetched body is held: read whole into memory only when it is stored (or shared with waiting callers), into one
/// array of its declared length or through pooled buffers when its length is unknown; otherwise handed back untouched.
/// </summary>
public class CacheBufferTests
{
    public static TheoryData<string> Shapes => ["known", "unknown", "declared-short", "declared-long"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task StoredBody_AnyLengthShape_TheCallerAndLaterHitsGetItWhole(string shape)
    {
        var data = Enumerable.Range(0, 40_000).Select(i => (byte)i).ToArray(); // past the first pooled chunk: it must grow
        var expected = shape == "declared-long" ? data[..5] : data;
        var origin = new CacheTestOrigin
        {
            Respond = (req, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = Content(shape, data), RequestMessage = req }),
        };
        var (http, cache) = origin.Client(new CacheOptions().Rule("*", TimeSpan.FromMinutes(1)));

        (await BytesAsync(http)).ShouldBe(expected);
        (await BytesAsync(http)).ShouldBe(expected, "a hit replays the stored bytes");
        origin.Calls.ShouldBe(1);
        cache.Counters.Stored.ShouldBe(1);
    }

    [Fact]
    public async Task NotStored_NobodyWaits_TheResponseComesBackUntouched()
    {
        HttpContent? sent = null;
        var origin = new CacheTestOrigin
        {
            Respond = (req, n, _) =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = sent = new StringContent($"body {n}"), RequestMessage = req };
                response.Headers.CacheControl = new CacheControlHeaderValue { NoStore = true };
                return Task.FromResult(response);
            },
        };
        var (http, cache) = origin.Client(new CacheOptions().Rule("*", TimeSpan.FromMinutes(1)));

        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(CacheTestOrigin.Base, "a")), default);

        response.Content.ShouldBeSameAs(sent, "nothing to store and nobody to share it with: no buffering");
        (await response.Content.ReadAsStringAsync()).ShouldBe("body 1");
        cache.Counters.Stored.ShouldBe(0);
    }

    private static HttpContent Content(string shape, byte[] data)
    {
        switch (shape)
        {
            case "known":
                return new ByteArrayContent(data);
            case "unknown":
                return new StreamContent(new ForwardOnlyStream(data)); // no length: read through pooled buffers
            default:
                // A Content-Length that lies: shorter than the stream (the rest is read too) or longer (what came is the body).
                var content = new StreamContent(new ForwardOnlyStream(shape == "declared-short" ? data : data[..5]));
                content.Headers.ContentLength = shape == "declared-short" ? 5 : data.Length;
                return content;
        }
    }

    private static async Task<byte[]> BytesAsync(HttpMessageInvoker http)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(CacheTestOrigin.Base, "blob")), default);
        return await response.Content.ReadAsByteArrayAsync();
    }
}
