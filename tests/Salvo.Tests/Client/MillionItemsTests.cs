using System.Net;
using System.Net.Http.Headers;
using Salvo.Concurrency;
using Salvo.Tests.Support;

namespace Salvo.Tests.Client;

/// <summary>
/// The seeds' <c>gather(*[fetch(id) for id in ids])</c> holds every task at once; Salvo's bounded helpers
/// must hold O(concurrency). A million real client calls on a stub transport prove it.
/// </summary>
public class MillionItemsTests
{
    private static readonly byte[] Body = """{"id":"g-1","name":"Dice"}"""u8.ToArray();

    [Fact]
    public async Task SelectConcurrentAsync_MillionClientCalls_MemoryFlatAndBoundRespected()
    {
        const int items = 1_000_000;
        const int bound = 256;
        var stub = new StubTransport();
        await using var client = new SalvoClient(stub, new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") });

        long ok = 0, heapAt100K = 0, heapAtEnd = 0, n = 0;
        await foreach (var r in Enumerable.Range(0, items).SelectConcurrentAsync(
            (i, ct) => client.GetJsonAsync("games/1", TestJson.Default.Game, ct), bound))
        {
            if (r.IsSuccess)
                ok++;
            if (++n == 100_000)
                heapAt100K = GC.GetTotalMemory(forceFullCollection: true);
            else if (n == items - 1)
                heapAtEnd = GC.GetTotalMemory(forceFullCollection: true);
        }

        ok.ShouldBe(items);
        stub.MaxInFlight.ShouldBeLessThanOrEqualTo(bound);
        // 900,000 more items than at the first sample: anything retained per item (a task, a result) would add
        // at least ~100 MB here. The bound leaves room for pool and allocator noise, not for per-item growth.
        (heapAtEnd - heapAt100K).ShouldBeLessThan(16 * 1024 * 1024);
        client.Stats.Requests.ShouldBe(items);
    }

    /// <summary>Answers after yielding, so calls really are in flight concurrently; counts the peak.</summary>
    private sealed class StubTransport : HttpMessageHandler
    {
        private static readonly MediaTypeHeaderValue Json = new("application/json");
        private int _inFlight;
        private int _max;

        public int MaxInFlight => Volatile.Read(ref _max);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inFlight);
            int seen;
            while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }
            await Task.Yield();
            Interlocked.Decrement(ref _inFlight);
            var content = new ByteArrayContent(Body);
            content.Headers.ContentType = Json;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }
    }
}
