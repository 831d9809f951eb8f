using BenchmarkDotNet.Attributes;
using Salvo.Benchmarks.Support;

namespace Salvo.Benchmarks.Client;

/// <summary>
/// What each resilience stage of the default pipeline costs per call when every async frame really suspends (the
/// transport answers after the call has returned to the benchmark, as a network does; see
/// <see cref="DeferredAnswerHandler"/>): the same GET through a <see cref="SalvoClient"/> with stages switched on one by
/// one. "none" has telemetry and the budgets only; "default" is what <c>new SalvoClient()</c> builds.
/// </summary>
[Config(typeof(BenchConfig))]
public class StageCostBenchmarks
{
    private SalvoClient _client = null!;
    private DeferredAnswerHandler _transport = null!;

    /// <summary>Which stages are on, beyond telemetry and the budgets.</summary>
    [Params("none", "retry", "retry+breaker", "retry+ratelimit", "default", "default+hedging")]
    public string Stages { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") };
        options.Retry.Enabled = Stages != "none";
        options.CircuitBreaker.Enabled = Stages is "retry+breaker" or "default" or "default+hedging";
        options.RateLimit.Enabled = Stages is "retry+ratelimit" or "default" or "default+hedging";
        options.Hedging.Enabled = Stages == "default+hedging";
        _transport = new DeferredAnswerHandler(Payloads.OneGame);
        _client = new SalvoClient(_transport, options);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _transport.Dispose();
    }

    [Benchmark]
    public Task<Game> Call()
    {
        var call = _client.GetJsonAsync("casino/games/g-001", BenchJson.Default.Game);
        _transport.Release();
        return call;
    }
}
