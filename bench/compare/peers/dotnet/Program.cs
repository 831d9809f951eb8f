using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using RestSharp;
using RestSharp.Serializers.Json;
using Salvo;

namespace Salvo.Compare;

/// <summary>
/// bench/compare's .NET peer. One client of the chosen kind, reused by every call; C workers pull from a shared
/// counter until N calls are done; every response body is read in full and JSON-decoded (source-generated
/// metadata) into <see cref="Game"/>. Prints one JSON line with the throughput.
/// </summary>
/// <remarks>
/// <c>--client salvo|httpclient|httpclient-manual|restsharp --url U --requests N --concurrency C
/// [--warmup-seconds S] [--max-seconds S]</c>. <c>httpclient</c> is <c>GetFromJsonAsync</c> (headers-read + streamed
/// deserialization, what the docs recommend); <c>httpclient-manual</c> spells the same out by hand
/// (<c>GetAsync(ResponseHeadersRead)</c> + <c>JsonSerializer.DeserializeAsync</c>) for comparison.
/// </remarks>
internal static class Program
{
    private const string ExpectedId = "g-001";

    public static async Task<int> Main(string[] args)
    {
        Options o;
        try
        {
            o = Options.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"usage error: {e.Message}");
            await Console.Error.WriteLineAsync("usage: --client salvo|httpclient|httpclient-manual|restsharp --url U --requests N --concurrency C [--warmup-seconds S] [--max-seconds S]");
            return 2;
        }

        var url = new Uri(o.Url);
        var baseAddress = new Uri(url, "/");
        var path = url.PathAndQuery.TrimStart('/');

        // Each mode builds its one long-lived client the way its library's docs recommend, with the connection
        // limit equal to the concurrency, and returns the call plus what disposes the client.
        var (library, call, dispose) = o.Client switch
        {
            "salvo" => CreateSalvo(baseAddress, path, o.Concurrency),
            "httpclient" => CreateHttpClientJson(baseAddress, path, o.Concurrency),
            "httpclient-manual" => CreateHttpClientManual(baseAddress, path, o.Concurrency),
            "restsharp" => CreateRestSharp(baseAddress, path, o.Concurrency),
            _ => throw new InvalidOperationException("unreachable"),
        };

        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(o.MaxSeconds));
            // Warm-up by time, not count: JIT tiers and the thread pool need seconds to settle, whatever a client's speed.
            var warmup = await LoadAsync(call, long.MaxValue, o.Concurrency, deadline.Token, TimeSpan.FromSeconds(o.WarmupSeconds));
            var start = Stopwatch.GetTimestamp();
            var run = await LoadAsync(call, o.Requests, o.Concurrency, deadline.Token);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

            // Calls not made before the deadline count as failures: the round is invalid, not faster.
            var failures = warmup.Failures + run.Failures + (o.Requests - run.Done);
            var error = warmup.FirstError ?? run.FirstError
                ?? (failures > 0 ? $"deadline of {o.MaxSeconds} s reached after {run.Done} of {o.Requests} calls" : null);
            var result = new PeerResult(o.Client, library, o.Requests, o.Concurrency, Math.Round(seconds, 3),
                Math.Round(run.Done / seconds, 1), failures, error);
            Console.WriteLine(JsonSerializer.Serialize(result, PeerJson.Default.PeerResult));
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            dispose();
        }
    }

    /// <summary>C workers share one counter; each takes the next call number until <paramref name="count"/> are taken.</summary>
    private static async Task<LoadResult> LoadAsync(Func<CancellationToken, Task<Game>> call, long count, int concurrency, CancellationToken ct, TimeSpan? runFor = null)
    {
        var until = runFor is { } d ? Stopwatch.GetTimestamp() + (long)(d.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        long next = 0;
        long failures = 0;
        string? firstError = null;

        async Task<long> Worker()
        {
            long done = 0;
            while (!ct.IsCancellationRequested && Stopwatch.GetTimestamp() < until && Interlocked.Increment(ref next) <= count)
            {
                try
                {
                    var game = await call(ct);
                    if (game.Id != ExpectedId)
                        throw new InvalidDataException($"unexpected body: id={game.Id}");
                }
#pragma warning disable CA1031 // a benchmark counts every failure instead of stopping at the first
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                }
                done++;
            }
            return done;
        }

        var workers = new Task<long>[(int)Math.Min(concurrency, Math.Max(count, 1))];
        for (var i = 0; i < workers.Length; i++)
            workers[i] = Worker();
        var counts = await Task.WhenAll(workers);
        return new LoadResult(counts.Sum(), Interlocked.Read(ref failures), Volatile.Read(ref firstError));
    }

    /// <summary>One <see cref="SalvoClient"/>, default pipeline (less any stage named in <c>SALVO_PEER_OFF</c>), pool limit = C, <c>GetJsonAsync</c> with source-generated metadata.</summary>
    private static (string, Func<CancellationToken, Task<Game>>, Action) CreateSalvo(Uri baseAddress, string path, int concurrency)
    {
        var options = new SalvoClientOptions
        {
            BaseAddress = baseAddress,
            Pool = { MaxConnectionsPerServer = concurrency },
        };
        // SALVO_PEER_OFF=retry,breaker,ratelimit switches default stages off, to attribute the pipeline's cost.
        var off = Environment.GetEnvironmentVariable("SALVO_PEER_OFF") ?? "";
        options.Retry.Enabled = !off.Contains("retry", StringComparison.Ordinal);
        options.CircuitBreaker.Enabled = !off.Contains("breaker", StringComparison.Ordinal);
        options.RateLimit.Enabled = !off.Contains("ratelimit", StringComparison.Ordinal);
        var client = new SalvoClient(options);
        return ($"Salvo {Version(typeof(SalvoClient))}", ct => client.GetJsonAsync(path, PeerJson.Default.Game, ct), client.Dispose);
    }

    /// <summary>One <see cref="HttpClient"/> on a <see cref="SocketsHttpHandler"/> (limit = C), <c>GetFromJsonAsync</c> with source-generated metadata.</summary>
    private static (string, Func<CancellationToken, Task<Game>>, Action) CreateHttpClientJson(Uri baseAddress, string path, int concurrency)
    {
        var http = NewHttpClient(baseAddress, concurrency);
        return ($"System.Net.Http {Environment.Version}", async ct => (await http.GetFromJsonAsync(path, PeerJson.Default.Game, ct))!, http.Dispose);
    }

    /// <summary>The same client, by hand: <c>GetAsync(ResponseHeadersRead)</c>, success check, <c>JsonSerializer.DeserializeAsync</c> on the stream.</summary>
    private static (string, Func<CancellationToken, Task<Game>>, Action) CreateHttpClientManual(Uri baseAddress, string path, int concurrency)
    {
        var http = NewHttpClient(baseAddress, concurrency);
        return ($"System.Net.Http {Environment.Version}", Call, http.Dispose);

        async Task<Game> Call(CancellationToken ct)
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            return (await JsonSerializer.DeserializeAsync(body, PeerJson.Default.Game, ct))!;
        }
    }

    private static HttpClient NewHttpClient(Uri baseAddress, int concurrency) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5), // the documented guidance for a long-lived client
        })
        {
            BaseAddress = baseAddress,
        };

    /// <summary>
    /// One <see cref="RestClient"/>: its own <see cref="HttpClientHandler"/> given a limit of C through
    /// <see cref="RestClientOptions.ConfigureMessageHandler"/>, System.Text.Json with source-generated metadata,
    /// <c>GetAsync&lt;T&gt;</c> (throws on any failure) with a new <see cref="RestRequest"/> per call.
    /// </summary>
    private static (string, Func<CancellationToken, Task<Game>>, Action) CreateRestSharp(Uri baseAddress, string path, int concurrency)
    {
        var options = new RestClientOptions(baseAddress)
        {
            ConfigureMessageHandler = handler =>
            {
                if (handler is HttpClientHandler h)
                    h.MaxConnectionsPerServer = concurrency;
                else if (handler is SocketsHttpHandler s)
                    s.MaxConnectionsPerServer = concurrency;
                return handler;
            },
        };
        var client = new RestClient(options, configureSerialization: s => s.UseSystemTextJson(PeerJson.Default.Options));
        return ($"RestSharp {Version(typeof(RestClient))}", async ct => (await client.GetAsync<Game>(new RestRequest(path), ct))!, client.Dispose);
    }

    private static string Version(Type type)
    {
        var v = type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? type.Assembly.GetName().Version?.ToString() ?? "?";
        var plus = v.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? v : v[..plus];
    }

    private sealed record LoadResult(long Done, long Failures, string? FirstError);

    private sealed record Options(string Client, string Url, int Requests, int Concurrency, double WarmupSeconds, int MaxSeconds)
    {
        public static Options Parse(string[] args)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i += 2)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                    throw new ArgumentException($"expected --name value, got '{args[i]}'");
                map[args[i][2..]] = args[i + 1];
            }
            var client = Get("client", null) ?? throw new ArgumentException("--client is required");
            if (client is not ("salvo" or "httpclient" or "httpclient-manual" or "restsharp"))
                throw new ArgumentException($"unknown client '{client}'");
            var url = Get("url", null) ?? throw new ArgumentException("--url is required");
            var requests = Int("requests", 20000);
            var concurrency = Int("concurrency", 64);
            var warmup = double.Parse(Get("warmup-seconds", "3")!, System.Globalization.CultureInfo.InvariantCulture);
            var maxSeconds = Int("max-seconds", 110);
            if (requests < 1 || concurrency < 1 || warmup < 0 || maxSeconds < 1)
                throw new ArgumentException("--requests, --concurrency and --max-seconds must be positive, --warmup-seconds not negative");
            return new Options(client, url, requests, concurrency, warmup, maxSeconds);

            string? Get(string name, string? fallback) => map.TryGetValue(name, out var v) ? v : fallback;

            int Int(string name, int fallback) =>
                map.TryGetValue(name, out var v)
                    ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"--{name} must be an integer")
                    : fallback;
        }
    }
}

/// <summary>The body every peer decodes: a casino game object.</summary>
internal sealed record Game(string Id, string Name, string Category, string Provider, double Rtp);

/// <summary>The one line every peer prints.</summary>
internal sealed record PeerResult(
    [property: JsonPropertyName("client")] string Client,
    [property: JsonPropertyName("library")] string Library,
    [property: JsonPropertyName("requests")] int Requests,
    [property: JsonPropertyName("concurrency")] int Concurrency,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("rps")] double Rps,
    [property: JsonPropertyName("failures")] long Failures,
    [property: JsonPropertyName("error")] string? Error);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Game))]
[JsonSerializable(typeof(PeerResult))]
internal sealed partial class PeerJson : JsonSerializerContext;
