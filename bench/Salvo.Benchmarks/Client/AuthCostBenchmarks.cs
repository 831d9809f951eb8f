using BenchmarkDotNet.Attributes;
using Salvo.Auth;
using Salvo.Benchmarks.Support;

namespace Salvo.Benchmarks.Client;

/// <summary>
/// What the auth stage costs per call on its common path (a fresh token, no redirect, no 401), through the default
/// pipeline with a transport that answers after the call has returned (<see cref="DeferredAnswerHandler"/>): no
/// credential, a fixed bearer token, and a refreshing credential (a custom login whose token lasts an hour).
/// </summary>
[Config(typeof(BenchConfig))]
public class AuthCostBenchmarks
{
    private SalvoClient _client = null!;
    private DeferredAnswerHandler _transport = null!;
    private SalvoAuth? _auth;

    /// <summary>Which credential the client carries.</summary>
    [Params("none", "bearer", "refreshing")]
    public string Credential { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        _auth = Credential switch
        {
            "bearer" => SalvoAuth.Bearer("benchmark-token"),
            "refreshing" => SalvoAuth.Custom("bench", ct => new ValueTask<SalvoToken>(SalvoToken.ExpiringIn("benchmark-token", TimeSpan.FromHours(1), DateTimeOffset.UtcNow))),
            _ => null,
        };
        _transport = new DeferredAnswerHandler(Payloads.OneGame);
        _client = new SalvoClient(_transport, new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), Auth = _auth });
        if (_auth is not null)
            _auth.GetTokenAsync().AsTask().GetAwaiter().GetResult(); // the first token is not what is measured
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _transport.Dispose();
        _auth?.Dispose();
    }

    [Benchmark]
    public Task<Game> Call()
    {
        var call = _client.GetJsonAsync("casino/games/g-001", BenchJson.Default.Game);
        _transport.Release();
        return call;
    }
}
