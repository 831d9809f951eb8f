namespace Salvo.Tests.Support;

/// <summary>
/// Bytes allocated per call through an invoker, read from the process-wide counter (so a test using it runs in the
/// serial allocation collection), after a warm-up that lets the JIT and any pools settle.
/// </summary>
internal static class AllocationMeter
{
    public static async Task<double> BytesPerCallAsync(HttpMessageInvoker invoker, HttpRequestMessage request, int count = 100_000)
    {
        for (var i = 0; i < 1_000; i++)
            await invoker.SendAsync(request, CancellationToken.None);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < count; i++)
            await invoker.SendAsync(request, CancellationToken.None);
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)count;
    }
}

/// <summary>A transport that answers every request with the same completed task: it allocates nothing per call.</summary>
internal sealed class CompletedTransport(Task<HttpResponseMessage> response) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => response;
}
