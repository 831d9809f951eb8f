using System.Net;
using Microsoft.Extensions.Logging;
using Salvo.Pipeline;
using Salvo.Resilience;
using Salvo.Testing;
using Salvo.Tests.Support;

namespace Salvo.Tests.Pipeline;

public class TransportAndPipelineTests
{
    [Fact]
    public void CreateHandler_MapsOptionsToSocketsHttpHandler()
    {
        var o = new SalvoClientOptions { MaxRedirects = 4 };
        o.Pool.MaxConnectionsPerServer = 7;
        o.Pool.PooledConnectionLifetime = TimeSpan.FromMinutes(2);
        o.Pool.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(20);
        o.Timeouts.Connect = TimeSpan.FromSeconds(3);

        using var handler = SalvoTransport.CreateHandler(o);

        handler.MaxConnectionsPerServer.ShouldBe(7);
        handler.PooledConnectionLifetime.ShouldBe(TimeSpan.FromMinutes(2));
        handler.PooledConnectionIdleTimeout.ShouldBe(TimeSpan.FromSeconds(20));
        handler.ConnectTimeout.ShouldBe(TimeSpan.FromSeconds(3));
        handler.EnableMultipleHttp2Connections.ShouldBeTrue();
        handler.MaxAutomaticRedirections.ShouldBe(4);
        handler.UseCookies.ShouldBeFalse();
        handler.AutomaticDecompression.ShouldBe(DecompressionMethods.All);
        handler.SslOptions.RemoteCertificateValidationCallback.ShouldBeNull("verification stays on by default");
    }

    [Fact]
    public void CreateHandler_VerificationOff_LogsWarning()
    {
        using var provider = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(provider));
        var o = new SalvoClientOptions();
        o.Tls.DangerousAcceptAnyServerCertificate = true;

        using var handler = SalvoTransport.CreateHandler(o, factory.CreateLogger("t"));

        handler.SslOptions.RemoteCertificateValidationCallback.ShouldNotBeNull();
        provider.Lines.ShouldContain(l => l.StartsWith("Warning:100:") && l.Contains("verification is OFF"));
    }

    [Fact]
    public async Task Builder_OrdersHandlersByStageNotByRegistration()
    {
        var order = new List<string>();
        var builder = new SalvoPipelineBuilder()
            .Add(PipelineStage.AttemptTimeout, () => new Probe("attempt", order))
            .Add(PipelineStage.Telemetry, () => new Probe("telemetry", order))
            .Add(PipelineStage.TotalTimeout, () => new Probe("total", order));
        using var invoker = new HttpMessageInvoker(builder.Build(StubHandler.Json("{}")));

        using var _ = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://api.test/"), CancellationToken.None);

        order.ShouldBe(["telemetry", "total", "attempt"]);
    }

    [Fact]
    public async Task TimeoutHandler_TotalUsedAlone_ThrowsTypedTimeout()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource();
        var hanging = new StubHandler(async (_, ct) => { started.SetResult(); await Task.Delay(Timeout.Infinite, ct); return null!; });
        using var http = new HttpClient(TimeoutHandler.Total(TimeSpan.FromSeconds(2), time).Wrap(TimeoutHandler.Attempt(Timeout.InfiniteTimeSpan, time).Wrap(hanging)));

        var call = http.GetAsync("http://api.test/slow");
        await started.Task;
        time.Advance(TimeSpan.FromSeconds(2));

        var ex = await Should.ThrowAsync<SalvoTimeoutException>(() => call);
        ex.Budget.ShouldBe(TimeoutBudget.Total);
        ex.Attempts.ShouldBe(1);
    }

    private sealed class Probe(string name, List<string> order) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            order.Add(name);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

internal static class HandlerExtensions
{
    public static DelegatingHandler Wrap(this DelegatingHandler handler, HttpMessageHandler inner)
    {
        handler.InnerHandler = inner;
        return handler;
    }
}
