using System.Net;
using Salvo.RateLimiting;
using Salvo.Tests.ConcurrencyLimiting;
using Salvo.Tests.Support;

namespace Salvo.Tests.RateLimiting;

/// <summary>Runs alone (with the other allocation tests): it reads the process-wide allocation counter.</summary>
[Collection(nameof(ConcurrencyLimitAllocationTests))]
public class RateLimitAllocationTests
{
    [Theory]
    [InlineData(RateLimitPartitioning.Host)]
    [InlineData(RateLimitPartitioning.Route)]
    public async Task SendAsync_RoomAndLimitsKnown_AllocatesOnlyTheHandlersTask(RateLimitPartitioning partitioning)
    {
        // Every header family on every response: the fast path parses and learns them all without allocating.
        var now = DateTimeOffset.UtcNow;
        var response = new HttpResponseMessage(HttpStatusCode.OK);
        var headers = response.Headers;
        headers.TryAddWithoutValidation("Date", now.ToString("r"));
        headers.TryAddWithoutValidation("X-RateLimit-Limit", "100000000");
        headers.TryAddWithoutValidation("X-RateLimit-Remaining", "99999999");
        headers.TryAddWithoutValidation("X-RateLimit-Reset", now.AddSeconds(1).ToUnixTimeSeconds().ToString());
        headers.TryAddWithoutValidation("RateLimit-Policy", "\"burst\";q=100000000;w=1, \"day\";q=1000000000;w=86400");
        headers.TryAddWithoutValidation("RateLimit", "\"burst\";r=99999999;t=1");
        headers.TryAddWithoutValidation("X-App-Rate-Limit", "100000000:1,1000000000:86400");
        headers.TryAddWithoutValidation("X-App-Rate-Limit-Count", "1:1,1:86400");
        headers.TryAddWithoutValidation("X-Method-Rate-Limit", "100000000:10");
        headers.TryAddWithoutValidation("X-Method-Rate-Limit-Count", "1:10");
        var done = Task.FromResult(response);
        using var transport = new CompletedTransport(done);
        using var handler = new RateLimitHandler(new RateLimitOptions { Limits = "1000000000/1m", Partition = partitioning }) { InnerHandler = transport };
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        using var bare = new HttpMessageInvoker(transport, disposeHandler: false);
        var request = new HttpRequestMessage(HttpMethod.Get, "http://api.test/matches/1")
            .WithSalvoSettings(new SalvoRequestSettings { RouteTemplate = "matches/{id}" });

        var perCall = await AllocationMeter.BytesPerCallAsync(invoker, request) - await AllocationMeter.BytesPerCallAsync(bare, request);

        handler.Limiter!.Snapshot().Single().Windows.Count.ShouldBe(4, "configured, 1 s, 1 d and the route's 10 s: one window per limit, whatever the families");
        // The async method's Task<HttpResponseMessage> is ~72 bytes. A lease, a waiter, a closure, a header string or an
        // event list per call fails this.
        perCall.ShouldBeLessThan(100, $"{perCall:0.0} bytes per call");
    }
}
