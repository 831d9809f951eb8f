using Salvo.ConcurrencyLimiting;
using Salvo.Pipeline;
using Salvo.Testing;

namespace Salvo.Tests.ConcurrencyLimiting;

/// <summary>Builds a concurrency handler in front of a transport, on a fake clock, and sends through it.</summary>
internal sealed class LimiterTestKit : IDisposable
{
    public LimiterTestKit(ConcurrencyLimitOptions options, HttpMessageHandler? transport = null, FakeTimeProvider? clock = null)
    {
        Clock = clock ?? new FakeTimeProvider();
        Transport = transport ?? new HeldTransport();
        Handler = new ConcurrencyLimitHandler(options, Clock) { InnerHandler = Transport };
        Invoker = new HttpMessageInvoker(Handler, disposeHandler: false);
    }

    public FakeTimeProvider Clock { get; }

    public HttpMessageHandler Transport { get; }

    public HeldTransport Held => (HeldTransport)Transport;

    public ConcurrencyLimitHandler Handler { get; }

    public HttpMessageInvoker Invoker { get; }

    /// <summary>The gate of the one host the tests call.</summary>
    public ConcurrencyGate Gate => Handler.Partitions!.Gates.Single();

    public static ConcurrencyLimitOptions Fixed(int limit, int? maxQueue = null) =>
        new() { Mode = ConcurrencyLimitMode.Fixed, Limit = limit, MaxQueue = maxQueue };

    public static HttpRequestMessage Get(string path, string host = "api.test") => new(HttpMethod.Get, $"http://{host}/{path}");

    public Task<HttpResponseMessage> SendAsync(string path, CancellationToken cancellationToken = default) =>
        Invoker.SendAsync(Get(path), cancellationToken);

    /// <summary>Sends with a total time budget on the fake clock, the way the client or the total-timeout handler does.</summary>
    public Task<HttpResponseMessage> SendWithBudgetAsync(string path, TimeSpan total, CancellationToken cancellationToken = default) =>
        SendWithBudgetAsync(Get(path), total, cancellationToken);

    /// <inheritdoc cref="SendWithBudgetAsync(string, TimeSpan, CancellationToken)"/>
    public async Task<HttpResponseMessage> SendWithBudgetAsync(HttpRequestMessage request, TimeSpan total, CancellationToken cancellationToken = default)
    {
        using var budget = CallBudget.Start(total, Clock, cancellationToken);
        SalvoRequestContext.GetOrCreate(request).Budget = budget;
        return await Invoker.SendAsync(request, budget.Token);
    }

    public void Dispose()
    {
        Invoker.Dispose();
        Handler.Dispose();
        Transport.Dispose();
    }
}
