using System.Net.Http.Json;
using BenchmarkDotNet.Attributes;
using Salvo.Benchmarks.Support;

namespace Salvo.Benchmarks.Json;

/// <summary>
/// Decoding a 50-game list (~5 KB) through <c>GetJsonAsync</c>, with reflection metadata and with a
/// source-generated context, against <see cref="HttpClient"/> and <c>GetFromJsonAsync</c>.
/// </summary>
[Config(typeof(BenchConfig))]
public class JsonDecodingBenchmarks
{
    private static readonly Uri Url = new("http://api.test/casino/games");
    private HttpClient _http = null!;
    private SalvoClient _salvo = null!;

    [GlobalSetup]
    public void Setup()
    {
        _http = new HttpClient(new NoRemoteCallHandler(Payloads.FiftyGames));
        _salvo = new SalvoClient(new NoRemoteCallHandler(Payloads.FiftyGames), new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _http.Dispose();
        _salvo.Dispose();
    }

    [Benchmark(Baseline = true, Description = "HttpClient GetFromJsonAsync (source-generated)")]
    public Task<Game[]?> HttpClientSourceGenerated() => _http.GetFromJsonAsync(Url, BenchJson.Default.GameArray);

    [Benchmark(Description = "Salvo GetJsonAsync<T> (reflection)")]
    public Task<Game[]> SalvoReflection() => _salvo.GetJsonAsync<Game[]>("casino/games");

    [Benchmark(Description = "Salvo GetJsonAsync (source-generated)")]
    public Task<Game[]> SalvoSourceGenerated() => _salvo.GetJsonAsync("casino/games", BenchJson.Default.GameArray);
}
