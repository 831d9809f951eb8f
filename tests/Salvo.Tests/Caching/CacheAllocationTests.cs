using System.Net;
using Salvo.Caching;
using Salvo.Tests.ConcurrencyLimiting;
using Salvo.Tests.Support;

namespace Salvo.Tests.Caching;

/// <summary>Runs alone (with the other allocation tests): it reads the process-wide allocation counter.</summary>
[Collection(nameof(ConcurrencyLimitAllocationTests))]
public class CacheAllocationTests
{
    [OptimizedLibraryTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Miss_NotStoredAndNobodyWaits_AllocatesOnlyTheCachesTask(bool ruleMatchesButBodyTooLarge)
    {
        // The answer goes back untouched: no buffering, no key or flight strings, no copy of the request, no completion
        // source (nobody joined), no parsed header collections.
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[100]) };
        var done = Task.FromResult(response);
        using var transport = new CompletedTransport(done);
        var options = ruleMatchesButBodyTooLarge
            ? new CacheOptions { MaxEntryBytes = 10 }.Add("casino/games*", TimeSpan.FromMinutes(5))
            : new CacheOptions { Enabled = true }; // no rule, no lifetime from the server: not storable
        using var handler = new CacheHandler(new ResponseCache(options, null, null, new Uri("http://api.test/"))) { InnerHandler = transport };
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        using var bare = new HttpMessageInvoker(transport, disposeHandler: false);

        var request = new HttpRequestMessage(HttpMethod.Get, "http://api.test/casino/games/g-001");

        var perCall = await AllocationMeter.BytesPerCallAsync(invoker, request) - await AllocationMeter.BytesPerCallAsync(bare, request);

        handler.Cache.Counters.Misses.ShouldBeGreaterThan(100_000);
        handler.Cache.Counters.Stored.ShouldBe(0);
        handler.Cache.FlightCount.ShouldBe(0);
        // The async method's Task<HttpResponseMessage> is ~72 bytes. A key string, a flight, a request copy, a budget, a
        // buffered body or a Vary/Cache-Control collection per call fails this (the miss cost ~1,500 bytes before).
        perCall.ShouldBeLessThan(100, $"{perCall:0.0} bytes per call");
    }
}
