using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Salvo.Caching;
using Salvo.Telemetry;
using Salvo.Tests.Support;

namespace Salvo.Tests.Caching;

/// <summary>The cache inside Salvo's pipeline and beside it: DI, metrics, the synchronous path, the Age header, what it keeps in memory.</summary>
public class CachePipelineTests
{
    [Fact]
    public async Task DependencyInjection_ClientsFromOneNameShareOneCache()
    {
        var stub = StubHandler.Json("{}");
        var services = new ServiceCollection();
        services.AddSalvoClient("a", o =>
        {
            o.BaseAddress = new Uri("http://api.test/");
            o.Cache.Add("games*", TimeSpan.FromMinutes(5));
        }).ConfigurePrimaryHttpMessageHandler(() => stub);
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<ISalvoClientFactory>();

        await factory.CreateClient("a").GetBytesAsync("games");
        await factory.CreateClient("a").GetBytesAsync("games");

        stub.Requests.Count.ShouldBe(1, "the cache belongs to the options, not to one handler chain");
        factory.CreateClient("a").Cache!.Counters.Hits.ShouldBe(1);
    }

    [Fact]
    public async Task Meter_ReportsHitsMissesAndBytesSaved_WithTheTier()
    {
        var measurements = new List<(string Name, long Value, string? Tier)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SalvoDiagnostics.Name && instrument.Name.StartsWith("salvo.cache.", StringComparison.Ordinal))
                    l.EnableMeasurementEvents(instrument);
            },
        };
        var origin = new CacheTestOrigin();
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? tier = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "salvo.cache.tier")
                    tier = (string?)tag.Value;
            }
            lock (measurements)
                measurements.Add((instrument.Name, value, tier));
        });
        listener.Start();
        var (http, cache) = origin.Client(new CacheOptions().Rule("*", TimeSpan.FromMinutes(1)));
        var probe = "probe-" + Guid.NewGuid().ToString("N"); // other tests share the process-wide meter: look only at this cache's effect

        await http.BodyAsync(probe);
        await http.BodyAsync(probe);

        cache.Counters.Hits.ShouldBe(1);
        lock (measurements)
        {
            measurements.ShouldContain((CacheMetrics.HitsInstrument, 1L, (string?)"memory"));
            measurements.ShouldContain(m => m.Name == CacheMetrics.MissesInstrument);
            measurements.ShouldContain((CacheMetrics.BytesSavedInstrument, (long)"body 1".Length, (string?)null));
        }
    }

    [Fact]
    public void SynchronousSend_StoresAndServes_LikeTheAsynchronousPath()
    {
        var origin = new SyncOrigin();
        var cache = new ResponseCache(new CacheOptions().Add("*", TimeSpan.FromMinutes(1)), null, null, new Uri("http://api.test/"));
        using var http = new HttpMessageInvoker(new CacheHandler(cache) { InnerHandler = origin });
        string Get()
        {
            using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, "http://api.test/x"), default);
            return response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        }

        Get().ShouldBe("sync 1");
        Get().ShouldBe("sync 1");
        origin.Calls.ShouldBe(1);
        cache.Counters.MemoryHits.ShouldBe(1);
    }

    /// <summary>An origin that answers only synchronously, so the test proves the whole path ran on <c>Send</c>.</summary>
    private sealed class SyncOrigin : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
            new(System.Net.HttpStatusCode.OK) { Content = new StringContent($"sync {++Calls}"), RequestMessage = request };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the synchronous path must not call SendAsync");
    }

    [Fact]
    public async Task Hit_CarriesAnAgeHeader_OnTheCachesClock()
    {
        var origin = new CacheTestOrigin();
        var (http, _) = origin.Client(new CacheOptions().Rule("*", TimeSpan.FromMinutes(1)));
        await http.BodyAsync("a");
        origin.Clock.Advance(TimeSpan.FromSeconds(42.5));

        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(CacheTestOrigin.Base, "a")), default);

        response.Headers.Age.ShouldBe(TimeSpan.FromSeconds(42));
    }

    [Fact]
    public async Task AfterManyCalls_NoFlightIsLeftBehind()
    {
        var origin = new CacheTestOrigin();
        var (http, cache) = origin.Client(new CacheOptions { StaleWhileRevalidate = TimeSpan.FromMinutes(1) }.Rule("*", TimeSpan.FromSeconds(1)));

        for (var round = 0; round < 5; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 50).Select(i => http.BodyAsync($"k{i % 10}")));
            await cache.WhenBackgroundIdleAsync();
            origin.Clock.Advance(TimeSpan.FromSeconds(2));
        }

        cache.FlightCount.ShouldBe(0);
        origin.Calls.ShouldBe(50, "10 keys: one miss each, then one background refresh each per round");
    }

    [Fact]
    public async Task BackgroundRefreshFails_LoggedAtDebug_StaleAnswerStays()
    {
        using var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var origin = new CacheTestOrigin();
        origin.Respond = (req, n, _) => n == 1
            ? Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("body 1") })
            : throw new HttpRequestException("down");
        var (http, cache) = origin.Client(new CacheOptions { StaleWhileRevalidate = TimeSpan.FromMinutes(1) }.Rule("*", TimeSpan.FromSeconds(1)), loggers);

        await http.BodyAsync("a");
        origin.Clock.Advance(TimeSpan.FromSeconds(2));
        (await http.BodyAsync("a")).ShouldBe("body 1");
        await cache.WhenBackgroundIdleAsync();
        (await http.BodyAsync("a")).ShouldBe("body 1");

        logs.Lines.ShouldContain(l => l.StartsWith("Debug:202:", StringComparison.Ordinal) && l.Contains("HttpRequestException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TracedCalls_CarryTheCacheResultOnTheirActivity()
    {
        var results = new List<string?>();
        var probe = "trace-" + Guid.NewGuid().ToString("N");
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == SalvoDiagnostics.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("url.full") is string url && url.Contains(probe, StringComparison.Ordinal))
                {
                    lock (results)
                        results.Add(activity.GetTagItem(CacheMetrics.ResultTag) as string);
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var origin = new CacheTestOrigin();
        var options = new SalvoClientOptions { BaseAddress = CacheTestOrigin.Base, TimeProvider = origin.Clock };
        options.Cache.Add("*", TimeSpan.FromMinutes(1));
        await using var client = new SalvoClient(origin, options);

        await client.GetStringAsync(probe);
        await client.GetStringAsync(probe);

        lock (results)
            results.ShouldBe(["miss", "hit"]);
    }
}
