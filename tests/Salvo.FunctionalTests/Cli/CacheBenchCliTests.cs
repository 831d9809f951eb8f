using System.Text.Json;

namespace Salvo.FunctionalTests.Cli;

/// <summary><c>salvo bench cache --json</c> in-process, against its own Sandbox.</summary>
public class CacheBenchCliTests
{
    [Fact]
    public async Task BenchCache_Json_PrintsOneObjectWhoseCountsAddUp()
    {
        var (exit, output, _) = await CliTests.RunAsync(["bench", "cache", "--json", "--requests", "400", "--keys", "10", "--concurrency", "16", "--latency", "20ms"]);

        exit.ShouldBe(0);
        output.Trim().Split('\n').Length.ShouldBe(1, "exactly one JSON object");
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["requests", "upstream_requests", "hits", "revalidated_304", "coalesced", "memory_hit_p50_us", "sqlite_hit_p50_us"]);
        root.GetProperty("requests").GetInt32().ShouldBe(410, "400 in the first pass, one per key after the max-age");
        root.GetProperty("upstream_requests").GetInt64().ShouldBe(20, "one per key, then one 304 per key: coalescing leaves no duplicate miss");
        root.GetProperty("revalidated_304").GetInt64().ShouldBe(10);
        (root.GetProperty("hits").GetInt64() + root.GetProperty("coalesced").GetInt64()).ShouldBe(390);
        root.GetProperty("coalesced").GetInt64().ShouldBeGreaterThan(0, "16 callers start on 10 cold keys at once");
        root.GetProperty("memory_hit_p50_us").GetDouble().ShouldBeGreaterThan(0);
        root.GetProperty("sqlite_hit_p50_us").GetDouble().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task BenchCache_Table_ShowsTheCounts()
    {
        var (exit, output, _) = await CliTests.RunAsync(["bench", "cache", "--requests", "20", "--keys", "2", "--concurrency", "2", "--latency", "0"]);

        exit.ShouldBe(0);
        output.ShouldContain("Upstream requests (counted by the Sandbox)");
        output.ShouldContain("Revalidated (304)");
        output.ShouldContain("SQLite hit p50");
    }

    [Fact]
    public async Task BenchCache_NoKeys_Fails()
    {
        var (exit, _, error) = await CliTests.RunAsync(["bench", "cache", "--json", "--keys", "0"]);

        exit.ShouldNotBe(0);
        error.ShouldContain("--keys");
    }
}
