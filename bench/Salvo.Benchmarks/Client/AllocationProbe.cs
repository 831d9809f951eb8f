using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Net.Http.Json;
using Salvo.Benchmarks.Support;
using Salvo.ConcurrencyLimiting;

namespace Salvo.Benchmarks.Client;

/// <summary>
/// A quick, exact per-call allocation count (and a rough per-call time) for the pipeline configurations of
/// <see cref="RequestPipelineBenchmarks"/> and the stages between them, in one process, without BenchmarkDotNet:
/// <c>dotnet run -c Release --project bench/Salvo.Benchmarks -- alloc [config|all] [calls] [types]</c>. With
/// <c>types</c> it adds what each configuration allocates beyond the bare client, by type (sampled from the runtime's
/// allocation ticks, so small types are approximate). Time is the best of five rounds on one thread: a hint for finding
/// where time goes, not a measurement to quote (BenchmarkDotNet's is).
/// </summary>
public static class AllocationProbe
{
    public static async Task RunAsync(string[] args)
    {
        var which = args.Length > 0 ? args[0] : "all";
        var calls = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
        var byType = args.Length > 2 && args[2] == "types";
        using var http = new HttpClient(new NoRemoteCallHandler(Payloads.OneGame)) { BaseAddress = new Uri("http://api.test/") };
        var clients = new List<SalvoClient>();
        var configurations = new (string Name, Func<Task> Call)[]
        {
            ("bare", async () =>
            {
                using var response = await http.GetAsync("casino/games/g-001", HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadFromJsonAsync(BenchJson.Default.Game);
            }),
            ("default", Salvo(new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") })),
            ("issue4-nohedge", Salvo(Stages(hedging: false, cache: false, auth: false))),
            ("issue4-hedge", Salvo(Stages(hedging: true, cache: false, auth: false))),
            ("plus-auth", Salvo(Stages(hedging: false, cache: false, auth: true))),
            ("plus-cache", Salvo(Stages(hedging: false, cache: true, auth: false))),
            ("every-but-hedging", Salvo(Stages(hedging: false, cache: true, auth: true))),
            ("every-stage", Salvo(Stages(hedging: true, cache: true, auth: true))),
        };

        double bareBytes = 0, bareNanoseconds = 0;
        var bareTypes = new Dictionary<string, double>();
        foreach (var (name, call) in configurations)
        {
            if (which != "all" && name != which && name != "bare")
                continue;
            for (var i = 0; i < 20_000; i++)
                await call();
            using var ticks = byType ? new AllocationTicks() : null;
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < calls; i++)
                await call();
            var bytes = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)calls;
            ticks?.Dispose();
            var best = double.MaxValue;
            for (var round = 0; round < 5; round++)
            {
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < calls; i++)
                    await call();
                best = Math.Min(best, watch.Elapsed.TotalNanoseconds / calls);
            }
            if (name == "bare")
            {
                bareBytes = bytes;
                bareNanoseconds = best;
            }
            Console.WriteLine($"{name,-16} {bytes,8:F0} B/call (+{bytes - bareBytes:F0} B)  {best,7:F0} ns/call (+{best - bareNanoseconds:F0} ns)");
            if (ticks is null)
                continue;
            var total = Math.Max(1, ticks.Counts.Values.Sum());
            var shares = ticks.Counts.ToDictionary(k => k.Key, k => (double)k.Value / total * bytes);
            if (name == "bare")
                bareTypes = shares;
            foreach (var (type, extra) in shares.Keys.Union(bareTypes.Keys)
                         .Select(t => (t, shares.GetValueOrDefault(t) - bareTypes.GetValueOrDefault(t)))
                         .Where(x => Math.Abs(x.Item2) >= 4)
                         .OrderByDescending(x => Math.Abs(x.Item2)))
                Console.WriteLine($"    {extra,7:F0} B  {type}");
        }
        foreach (var client in clients)
            client.Dispose();

        Func<Task> Salvo(SalvoClientOptions options)
        {
            var client = new SalvoClient(new NoRemoteCallHandler(Payloads.OneGame), options);
            clients.Add(client);
            return () => client.GetJsonAsync("casino/games/g-001", BenchJson.Default.Game);
        }
    }

    /// <summary>
    /// "Every stage" of <see cref="RequestPipelineBenchmarks"/>, each optional part switchable: the default pipeline, a cache
    /// whose rule matches but which stores nothing (every call computes its key, looks up, misses and fetches), a bearer
    /// credential, configured rate limits, adaptive concurrency, hedging.
    /// </summary>
    internal static SalvoClientOptions Stages(bool hedging, bool cache, bool auth)
    {
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") };
        if (auth)
            options.Auth = Auth.SalvoAuth.Bearer("benchmark-token");
        if (cache)
        {
            options.Cache.Add("casino/games*", TimeSpan.FromMinutes(5));
            options.Cache.MaxEntryBytes = 1;
        }
        options.Hedging.Enabled = hedging;
        options.RateLimit.Limits = "1000000000/1s,1000000000/1m";
        options.ConcurrencyLimit.Mode = ConcurrencyLimitMode.Adaptive;
        return options;
    }

    /// <summary>Counts the runtime's allocation ticks (one per ~100 KB allocated) by the type that crossed the mark.</summary>
    private sealed class AllocationTicks : EventListener
    {
        public Dictionary<string, long> Counts { get; } = [];

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is null)
                return;
            var type = eventData.Payload![eventData.PayloadNames.IndexOf("TypeName")] as string ?? "?";
            lock (Counts)
                Counts[type] = Counts.GetValueOrDefault(type) + 1;
        }
    }
}
