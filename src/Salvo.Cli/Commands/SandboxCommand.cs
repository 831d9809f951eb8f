using System.CommandLine;
using Salvo.Sandbox;
using Spectre.Console;

namespace Salvo.Cli.Commands;

/// <summary><c>salvo sandbox</c>: runs the Sandbox API standalone on loopback with its behaviours as flags.</summary>
internal static class SandboxCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "HTTP port on 127.0.0.1 (0 picks a free one). Default: 0." };
        var https = new Option<bool>("--https") { Description = "Also serve HTTPS with a self-signed certificate generated at start." };
        var httpsPort = new Option<int>("--https-port") { Description = "HTTPS port (0 picks a free one). Default: 0." };
        var latency = new Option<string>("--latency")
        {
            Description = "Latency per API request: 0, 200ms, 100ms..300ms (uniform), lognormal:50ms,p99=500ms. Default: 0.",
            DefaultValueFactory = _ => "0",
        };
        var capacity = new Option<int?>("--capacity") { Description = "Requests in flight before latency grows; beyond twice this, 503. Default: unlimited." };
        var faultRate = CliOptions.Rate("--fault-rate", "Share of API requests answered 500/502/503/504.");
        var resetRate = CliOptions.Rate("--reset-rate", "Share of API requests whose connection is reset.");
        var hangRate = CliOptions.Rate("--hang-rate", "Share of API requests that never get a response.");
        var slowRate = CliOptions.Rate("--slow-rate", "Share of API requests made --slow-factor times slower (a slow tail).");
        var slowFactor = new Option<double>("--slow-factor") { Description = "How many times slower a slow request is. Default: 20.", DefaultValueFactory = _ => SandboxOptions.DefaultSlowFactor };
        var burstEvery = new Option<string?>("--burst-every") { Description = "Start a 429 burst this often, e.g. 2s: every API request is answered 429 + Retry-After for --burst-length. Default: none." };
        var burstLength = CliOptions.Duration("--burst-length", "How long each 429 burst lasts.", "200ms");
        var rateLimit = new Option<string?>("--rate-limit") { Description = "Rate limit windows per caller, e.g. 20/1s,100/2m (429 + Retry-After beyond). Default: none." };
        var tokenLifetime = new Option<string?>("--token-lifetime") { Description = "Require bearer tokens from POST /auth/token that expire after this, e.g. 5m. Default: no auth." };
        var connectLatency = CliOptions.Duration("--connect-latency", "Simulated handshake round trips paid by each new connection.", "0");
        var feedInterval = CliOptions.Duration("--feed-interval", "How often the live odds feed (/feed/odds, /feed/odds/stream, /feed/odds/ws) publishes a change.", "100ms");
        var seed = new Option<int?>("--seed") { Description = "Seed for the random behaviours (latency samples, faults, tokens); the catalogue data is always the same. Default: random." };

        var command = new Command("sandbox", "Run the Sandbox API on 127.0.0.1 until Ctrl+C.")
        {
            port, https, httpsPort, latency, capacity, faultRate, resetRate, hangRate, slowRate, slowFactor, burstEvery, burstLength, rateLimit, tokenLifetime, connectLatency, feedInterval, seed,
        };
        command.SetAction(async (parse, ct) =>
        {
            SandboxServer server;
            try
            {
                var options = new SandboxOptions
                {
                    Port = parse.GetValue(port),
                    Https = parse.GetValue(https),
                    HttpsPort = parse.GetValue(httpsPort),
                    Latency = SandboxLatency.Parse(parse.GetValue(latency) ?? "0"),
                    Capacity = parse.GetValue(capacity),
                    FaultRate = parse.GetValue(faultRate),
                    ResetRate = parse.GetValue(resetRate),
                    HangRate = parse.GetValue(hangRate),
                    SlowRate = parse.GetValue(slowRate),
                    SlowFactor = parse.GetValue(slowFactor),
                    BurstInterval = parse.GetValue(burstEvery) is { } b ? SandboxOptionsParser.ParseDuration(b) : null,
                    BurstLength = parse.GetValue(burstLength),
                    RateLimits = parse.GetValue(rateLimit),
                    TokenLifetime = parse.GetValue(tokenLifetime) is { } t ? SandboxOptionsParser.ParseDuration(t) : null,
                    ConnectionLatency = parse.GetValue(connectLatency),
                    FeedInterval = parse.GetValue(feedInterval),
                    Seed = parse.GetValue(seed),
                };
                // StartAsync validates every option (rates, ports, windows) before it binds anything.
                server = await SandboxServer.StartAsync(options, ct);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"salvo sandbox: {ex.Message}");
                return 2;
            }

            await using var running = server;
            var console = SalvoCli.Console(parse);
            console.MarkupLine($"Sandbox listening on [bold]{server.BaseAddress}[/]");
            if (server.HttpsBaseAddress is { } secure)
                console.MarkupLine($"HTTPS on [bold]{secure}[/] (self-signed; thumbprint {server.Certificate?.Thumbprint})");
            console.MarkupLine("[grey]" + Markup.Escape(
                "Endpoints: /user/balance, /casino/games[?category=], /casino/games/{id}, /sports/events, /sports/events/{id}, POST /auth/token, /feed/odds[?after=], /feed/odds/stream (SSE), /feed/odds/ws, /_sandbox/stats. Ctrl+C stops.") + "[/]");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop the server and report what it saw.
            }
            var stats = server.GetStats();
            console.MarkupLine($"Served {stats.TotalRequests} requests (max {stats.MaxInFlight} in flight, {stats.RateLimited429} answered 429).");
            return 0;
        });
        return command;
    }
}
