using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Salvo.Sandbox.Auth;
using Salvo.Sandbox.Behaviors;
using Salvo.Sandbox.Endpoints;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Hosting;

/// <summary>Builds the Kestrel application: loopback listeners, the behaviour pipeline in order, then the endpoints.</summary>
internal static class SandboxApplication
{
    // Hung and delayed requests are aborted before Kestrel is asked to stop, so this is only a safety net.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    public static WebApplication Build(SandboxRuntime runtime, X509Certificate2? certificate)
    {
        // The empty builder reads no appsettings.json, environment variables or command line: the
        // Sandbox is configured only by SandboxOptions, whatever directory or environment it runs in.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "Salvo.Sandbox" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => Listen(kestrel, runtime, certificate));
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);

        var app = builder.Build();
        app.UseRouting();
        app.UseWebSockets();
        UseBehaviors(app, runtime);
        MapEndpoints(app, runtime);
        return app;
    }

    private static void Listen(KestrelServerOptions kestrel, SandboxRuntime runtime, X509Certificate2? certificate)
    {
        var connections = new ConnectionLatencyMiddleware(runtime);
        kestrel.AddServerHeader = false;
        kestrel.Listen(IPAddress.Loopback, runtime.Options.Port, listen => listen.Use(connections.Wrap));
        if (certificate is not null)
        {
            kestrel.Listen(IPAddress.Loopback, runtime.Options.HttpsPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(connections.Wrap);
                listen.UseHttps(certificate);
            });
        }
    }

    /// <summary>The order is the story of a request: counted, admitted by capacity, authenticated, rate limited, processed (latency), and maybe failed.</summary>
    private static void UseBehaviors(WebApplication app, SandboxRuntime runtime)
    {
        var stats = new StatsMiddleware(runtime);
        var capacity = new CapacityMiddleware(runtime);
        var auth = new AuthMiddleware(runtime);
        var rateLimit = new RateLimitMiddleware(runtime);
        var latency = new LatencyMiddleware(runtime);
        var chaos = new ChaosMiddleware(runtime);
        app.Use(stats.InvokeAsync);
        app.Use(capacity.InvokeAsync);
        app.Use(auth.InvokeAsync);
        app.Use(rateLimit.InvokeAsync);
        app.Use(latency.InvokeAsync);
        app.Use(chaos.InvokeAsync);
    }

    private static void MapEndpoints(WebApplication app, SandboxRuntime runtime)
    {
        UserEndpoints.Map(app, runtime);
        GamesEndpoints.Map(app, runtime);
        EventsEndpoints.Map(app, runtime);
        TokenEndpoint.Map(app, runtime);
        EchoEndpoints.Map(app);
        FlakyEndpoints.Map(app, runtime);
        StatusEndpoints.Map(app);
        PayloadEndpoints.Map(app);
        FailureEndpoints.Map(app, runtime);
        RedirectEndpoints.Map(app);
        ControlEndpoints.Map(app, runtime);
        Feed.FeedEndpoints.Map(app, runtime);
    }
}
