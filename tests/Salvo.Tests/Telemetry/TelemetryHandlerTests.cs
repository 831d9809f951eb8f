using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Logging;
using Salvo.Telemetry;
using Salvo.Tests.Support;

namespace Salvo.Tests.Telemetry;

public class TelemetryHandlerTests
{
    [Fact]
    public async Task Call_RecordsDurationWithOpenTelemetryTags()
    {
        var measurements = new List<(double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SalvoDiagnostics.Name && instrument.Name == SalvoDiagnostics.RequestDurationInstrument)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var dict = new Dictionary<string, object?>();
            foreach (var t in tags)
                dict[t.Key] = t.Value;
            lock (measurements)
                measurements.Add((value, dict));
        });
        listener.Start();
        var host = $"telemetry-{Guid.NewGuid():N}.test";
        await using var client = new SalvoClient(StubHandler.Json("{}", HttpStatusCode.NotFound), new SalvoClientOptions { BaseAddress = new Uri($"http://{host}/") });

        await Should.ThrowAsync<SalvoNotFoundException>(() => client.GetBytesAsync("x?token=secret"));

        var mine = measurements.Where(m => Equals(m.Tags.GetValueOrDefault("server.address"), host)).ToList();
        mine.Count.ShouldBe(1);
        mine[0].Tags["http.request.method"].ShouldBe("GET");
        mine[0].Tags["http.response.status_code"].ShouldBe(404);
        mine[0].Tags["error.type"].ShouldBe("404");
        mine[0].Tags.Values.OfType<string>().ShouldNotContain(v => v.Contains("secret"));
    }

    [Fact]
    public async Task Call_StartsClientActivityWithRedactedUrl()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SalvoDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) activities.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);
        var host = $"activity-{Guid.NewGuid():N}.test";
        await using var client = new SalvoClient(StubHandler.Json("""{"id":"g","name":"n"}"""), new SalvoClientOptions { BaseAddress = new Uri($"http://{host}/") });

        await client.GetJsonAsync("g?api_key=abc", TestJson.Default.Game);

        var activity = activities.Single(a => Equals(a.GetTagItem("server.address"), host));
        activity.Kind.ShouldBe(ActivityKind.Client);
        activity.DisplayName.ShouldBe("GET");
        activity.GetTagItem("url.full").ShouldBe($"http://{host}/g?api_key=***");
        activity.GetTagItem("http.response.status_code").ShouldBe(200);
    }

    [Fact]
    public async Task Call_LogsLatencyWithoutSecrets()
    {
        using var provider = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Debug));
        var stub = new StubHandler((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"));
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), LoggerFactory = factory };
        options.DefaultHeaders["Authorization"] = "Bearer top-secret-token";
        await using var client = new SalvoClient(StubHandler.Json("{}"), options);
        await using var failing = new SalvoClient(stub, options);

        await client.GetBytesAsync("ok?token=tok-1");
        await Should.ThrowAsync<SalvoConnectionException>(() => failing.GetBytesAsync("bad?token=tok-2"));

        var all = string.Join("\n", provider.Lines);
        provider.Lines.ShouldContain(l => l.StartsWith("Debug:1:GET http://api.test/ok?token=*** -> 200 in "));
        provider.Lines.ShouldContain(l => l.StartsWith("Warning:3:GET http://api.test/bad?token=*** failed after "));
        all.ShouldNotContain("top-secret-token");
        all.ShouldNotContain("tok-1");
        all.ShouldNotContain("tok-2");
    }

    [Fact]
    public async Task Stats_CountOutcomesAndLatency()
    {
        var n = 0;
        var stub = new StubHandler((_, _) => Interlocked.Increment(ref n) switch
        {
            1 or 2 => Task.FromResult(StubHandler.JsonResponse("{}")),
            3 => Task.FromResult(StubHandler.JsonResponse("{}", HttpStatusCode.ServiceUnavailable)),
            _ => throw new HttpRequestException(HttpRequestError.ConnectionError),
        });
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") };
        options.Retry.Enabled = false; // one attempt per call, so each stub answer is one logical call
        await using var client = new SalvoClient(stub, options);

        for (var i = 0; i < 4; i++)
        {
            try
            {
                await client.GetBytesAsync("x");
            }
            catch (SalvoException)
            {
                // counted below
            }
        }

        var stats = client.Stats;
        stats.Requests.ShouldBe(4);
        stats.Succeeded.ShouldBe(2);
        stats.HttpErrors.ShouldBe(1);
        stats.Status5xx.ShouldBe(1);
        stats.Failed.ShouldBe(1);
        stats.InFlight.ShouldBe(0);
        stats.MaxInFlight.ShouldBe(1);
    }

    [Fact]
    public async Task Handler_UsedAloneInHttpClient_Works()
    {
        var stats = new SalvoStatsRecorder();
        using var http = new HttpClient(new TelemetryHandler(stats: stats) { InnerHandler = StubHandler.Json("{}") });

        using var response = await http.GetAsync("http://api.test/x");

        stats.Snapshot().Status2xx.ShouldBe(1);
    }
}
