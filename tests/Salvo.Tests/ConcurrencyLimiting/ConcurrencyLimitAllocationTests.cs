using System.Net;
using Salvo.ConcurrencyLimiting;

namespace Salvo.Tests.ConcurrencyLimiting;

/// <summary>Runs alone: it reads the process-wide allocation counter, which parallel tests would disturb.</summary>
[CollectionDefinition(nameof(ConcurrencyLimitAllocationTests), DisableParallelization = true)]
public sealed class SerialConcurrencyLimitCollection;

[Collection(nameof(ConcurrencyLimitAllocationTests))]
public class ConcurrencyLimitAllocationTests
{
    [OptimizedLibraryTheory]
    [InlineData(ConcurrencyLimitMode.Fixed)]
    [InlineData(ConcurrencyLimitMode.Adaptive)]
    public async Task SendAsync_WithRoom_AllocatesOnlyTheHandlersTask(ConcurrencyLimitMode mode)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK);
        var done = Task.FromResult(response);
        using var transport = new CompletedTransport(done);
        using var handler = new ConcurrencyLimitHandler(new ConcurrencyLimitOptions { Mode = mode }) { InnerHandler = transport };
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        using var bare = new HttpMessageInvoker(transport, disposeHandler: false);

        var perCall = await BytesPerCallAsync(invoker) - await BytesPerCallAsync(bare);

        // The async method's Task<HttpResponseMessage> is ~72 bytes (a transport that completes asynchronously makes it a
        // state machine box instead, as for any async handler). A waiter, a closure, a lease or boxing per call fails this.
        perCall.ShouldBeLessThan(100, $"{perCall:0.0} bytes per call");
    }

    private static async Task<double> BytesPerCallAsync(HttpMessageInvoker invoker)
    {
        const int count = 100_000;
        var request = new HttpRequestMessage(HttpMethod.Get, "http://api.test/x");
        for (var i = 0; i < 1_000; i++)
            await invoker.SendAsync(request, CancellationToken.None); // warm up the JIT and the host's gate
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < count; i++)
            await invoker.SendAsync(request, CancellationToken.None);
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)count;
    }

    private sealed class CompletedTransport(Task<HttpResponseMessage> response) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => response;
    }
}
