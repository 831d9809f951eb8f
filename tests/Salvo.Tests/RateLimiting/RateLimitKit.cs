using Microsoft.Extensions.Logging;
using Salvo.Pipeline;
using Salvo.RateLimiting;
using Salvo.Testing;
using Salvo.Tests.Support;

namespace Salvo.Tests.RateLimiting;

/// <summary>A rate-limit handler in front of a transport (a <see cref="HeldServer"/> by default), on a fake clock.</summary>
internal sealed class RateLimitKit : IDisposable
{
    public RateLimitKit(RateLimitOptions options, HttpMessageHandler? transport = null, FakeTimeProvider? clock = null)
    {
        Clock = clock ?? new FakeTimeProvider();
        Transport = transport ?? new HeldServer();
        Logs = new ListLoggerProvider();
        Handler = new RateLimitHandler(options, Clock, Logs.CreateLogger("Salvo.RateLimiting")) { InnerHandler = Transport };
        Invoker = new HttpMessageInvoker(Handler, disposeHandler: false);
    }

    public FakeTimeProvider Clock { get; }

    public HttpMessageHandler Transport { get; }

    public HeldServer Server => (HeldServer)Transport;

    public ListLoggerProvider Logs { get; }

    public RateLimitHandler Handler { get; }

    public SalvoRateLimiter Limiter => Handler.Limiter!;

    public HttpMessageInvoker Invoker { get; }

    /// <summary>The one partition the test uses.</summary>
    public RateLimitPartitionSnapshot Partition => Limiter.Snapshot().Single();

    /// <summary>Configured limits only: nothing is learned, so there is no probe.</summary>
    public static RateLimitOptions Configured(string limits, RateLimitMode mode = RateLimitMode.Wait) =>
        new() { Limits = limits, LearnFromHeaders = false, Mode = mode };

    public static HttpRequestMessage Get(string path, string host = "api.test", SalvoRequestSettings? settings = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://{host}/{path}");
        if (settings is not null)
            request.WithSalvoSettings(settings);
        return request;
    }

    public Task<HttpResponseMessage> SendAsync(string path, CancellationToken cancellationToken = default) =>
        Invoker.SendAsync(Get(path), cancellationToken);

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        Invoker.SendAsync(request, cancellationToken);

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

    /// <summary>Sends the probe and answers it with <paramref name="headers"/>, so the partition's limits are known.</summary>
    public async Task LearnAsync(params (string, string)[] headers)
    {
        var probe = SendAsync("probe");
        (await Server.NextAsync()).Respond(headers);
        (await probe).Dispose();
    }

    public void Dispose()
    {
        Invoker.Dispose();
        Handler.Dispose();
        Transport.Dispose();
        Logs.Dispose();
    }
}
