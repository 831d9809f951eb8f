using System.Net;
using Salvo.ConcurrencyLimiting;
using Salvo.Tests.Support;

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

    private static Task<double> BytesPerCallAsync(HttpMessageInvoker invoker) =>
        AllocationMeter.BytesPerCallAsync(invoker, new HttpRequestMessage(HttpMethod.Get, "http://api.test/x")); // warms up the host's gate too
}
