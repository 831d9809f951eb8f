using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using BenchmarkDotNet.Attributes;
using Salvo.Benchmarks.Support;
using Salvo.Telemetry;

namespace Salvo.Benchmarks.Client;

/// <summary>
/// Cost per request of Salvo's pipeline against a bare <see cref="HttpClient"/> doing the same work (GET,
/// read the body, decode one JSON object with source-generated metadata) over a handler with no network.
/// </summary>
[Config(typeof(BenchConfig))]
public class RequestPipelineBenchmarks
{
    private static readonly Uri Url = new("http://api.test/casino/games/g-001");
    private HttpClient _http = null!;
    private SalvoClient _salvo = null!;
    private SalvoClient _everything = null!;
    private SalvoClient _allButHedging = null!;
    private MeterListener? _meters;
    private ActivityListener? _activities;

    /// <summary>Whether Salvo's meter and activity source have listeners, so telemetry does all its work.</summary>
    [Params(false, true)]
    public bool Observed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _http = new HttpClient(new NoRemoteCallHandler(Payloads.OneGame)) { BaseAddress = new Uri("http://api.test/") };
        _salvo = new SalvoClient(new NoRemoteCallHandler(Payloads.OneGame), new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") });
        // Every stage this release has, switched on: a cache that misses (its rule matches, but no answer is small enough
        // to store, so every call computes its key, looks it up, misses and fetches), a bearer credential, hedging armed,
        // configured and learned rate limits, adaptive concurrency.
        _everything = new SalvoClient(new NoRemoteCallHandler(Payloads.OneGame), EveryStage(hedging: true));
        // The same without hedging, whose copy of each request (made before the first attempt, so nothing below can
        // write to the original while the copy is taken) is its own price, paid only by those who switch it on.
        _allButHedging = new SalvoClient(new NoRemoteCallHandler(Payloads.OneGame), EveryStage(hedging: false));
        if (!Observed)
            return;

        // Everything observed: a metrics listener on the Salvo meter and a sampled tracer on the Salvo source,
        // as an OpenTelemetry-instrumented app would have.
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == SalvoDiagnostics.Name)
                    listener.EnableMeasurementEvents(instrument);
            },
        };
        _meters.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        _meters.Start();
        _activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SalvoDiagnostics.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_activities);
    }

    private static SalvoClientOptions EveryStage(bool hedging) => AllocationProbe.Stages(hedging, cache: true, auth: true);

    [GlobalCleanup]
    public void Cleanup()
    {
        _meters?.Dispose();
        _activities?.Dispose();
        _http.Dispose();
        _salvo.Dispose();
        _everything.Dispose();
        _allButHedging.Dispose();
    }

    // Like for like with Salvo's API: a relative URL string resolved against BaseAddress on every call.
    [Benchmark(Baseline = true, Description = "HttpClient, relative URL")]
    public async Task<Game?> BareHttpClient()
    {
        using var response = await _http.GetAsync("casino/games/g-001", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(BenchJson.Default.Game);
    }

    // The cheapest bare form: a prebuilt Uri, so no URL parsing per call.
    [Benchmark(Description = "HttpClient, prebuilt Uri")]
    public async Task<Game?> BareHttpClientPrebuiltUri()
    {
        using var response = await _http.GetAsync(Url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(BenchJson.Default.Game);
    }

    [Benchmark(Description = "SalvoClient default pipeline")]
    public Task<Game> SalvoDefault() => _salvo.GetJsonAsync("casino/games/g-001", BenchJson.Default.Game);

    [Benchmark(Description = "SalvoClient, every stage but hedging")]
    public Task<Game> SalvoAllButHedging() => _allButHedging.GetJsonAsync("casino/games/g-001", BenchJson.Default.Game);

    [Benchmark(Description = "SalvoClient, every stage on")]
    public Task<Game> SalvoEverything() => _everything.GetJsonAsync("casino/games/g-001", BenchJson.Default.Game);
}
