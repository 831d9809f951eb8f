using BenchmarkDotNet.Attributes;
using Salvo.Benchmarks.Support;
using Salvo.Caching;

namespace Salvo.Benchmarks.Caching;

/// <summary>
/// One cache hit through <see cref="CacheHandler"/> (a new request in, a new response with its own content out), from the
/// memory tier (without and with a bearer token) and from the SQLite tier, against the same GET sent to the no-network handler with no cache.
/// </summary>
[Config(typeof(BenchConfig))]
public class CacheHitBenchmarks
{
    private static readonly Uri Url = new("http://api.test/casino/games/g-001");
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"salvo-bench-{Guid.NewGuid():N}.db");
    private HttpMessageInvoker _none = null!;
    private HttpMessageInvoker _memory = null!;
    private HttpMessageInvoker _sqlite = null!;
    private ResponseCache _sqliteCache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _none = new HttpMessageInvoker(new NoRemoteCallHandler(Payloads.OneGame));
        _memory = Cached(new CacheOptions().Add("casino/games*", TimeSpan.FromHours(1)), out _);
        var sqlite = new CacheOptions { MemoryMaxBytes = 0, DatabasePath = _path }.Add("casino/games*", TimeSpan.FromHours(1));
        _sqlite = Cached(sqlite, out _sqliteCache);
        MemoryHit().Dispose(); // the misses that fill each tier
        MemoryHitWithToken().Dispose();
        SqliteHit().Dispose();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sqliteCache.DisposeAsync().AsTask().GetAwaiter().GetResult();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
            File.Delete(file);
    }

    [Benchmark(Baseline = true)]
    public HttpResponseMessage NoCache() => Send(_none);

    [Benchmark]
    public HttpResponseMessage MemoryHit() => Send(_memory);

    /// <summary>A memory hit for a caller with a bearer token: the key holds the token's hash.</summary>
    [Benchmark]
    public HttpResponseMessage MemoryHitWithToken() => Send(_memory, "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl");

    [Benchmark]
    public HttpResponseMessage SqliteHit() => Send(_sqlite);

    private static HttpResponseMessage Send(HttpMessageInvoker invoker, string? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        var response = invoker.SendAsync(request, CancellationToken.None).GetAwaiter().GetResult();
        response.Dispose();
        return response;
    }

    private static HttpMessageInvoker Cached(CacheOptions options, out ResponseCache cache)
    {
        cache = new ResponseCache(options);
        return new HttpMessageInvoker(new CacheHandler(cache) { InnerHandler = new NoRemoteCallHandler(Payloads.OneGame) });
    }
}
