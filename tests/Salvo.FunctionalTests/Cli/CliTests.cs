using System.CommandLine;
using System.Text.Json;
using Salvo.Cli;

namespace Salvo.FunctionalTests.Cli;

/// <summary>The <c>salvo</c> commands invoked in-process, with their output captured.</summary>
public class CliTests
{
    internal static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await SalvoCli.CreateRootCommand().Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Demo_Json_PrintsOneObjectWithEveryScenario()
    {
        var (exit, output, _) = await RunAsync(
            ["demo", "--json", "--latency", "40ms", "--queries", "5", "--games", "4", "--events", "6", "--connection-requests", "2", "--connect-latency", "20ms"]);

        exit.ShouldBe(0);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("latency_ms").GetDouble().ShouldBe(40);
        var scenarios = json.RootElement.GetProperty("scenarios").EnumerateArray().ToList();
        scenarios.Select(s => s.GetProperty("requests").GetInt32()).ShouldBe([1, 5, 4, 6, 2]);
        foreach (var s in scenarios.Skip(1).Take(3))
        {
            // N requests of 40 ms each: sequential takes at least N × 40 ms, and concurrency must win clearly.
            s.GetProperty("sequential_ms").GetDouble().ShouldBeGreaterThanOrEqualTo(s.GetProperty("requests").GetInt32() * 39);
            s.GetProperty("speedup").GetDouble().ShouldBeGreaterThan(1.5);
        }
        json.RootElement.GetProperty("client").GetProperty("calls").GetInt64().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Demo_Table_RendersTableAndChart()
    {
        var (exit, output, _) = await RunAsync(["demo", "--latency", "5ms", "--queries", "2", "--games", "2", "--events", "2", "--connection-requests", "0"]);

        exit.ShouldBe(0);
        output.ShouldContain("Speedup");
        output.ShouldContain("2 game details");
        output.ShouldContain("Total time (ms): slow way vs Salvo");
        output.ShouldContain("client.Stats");
    }

    [Fact]
    public async Task Demo_InvalidLatency_FailsWithMessage()
    {
        var (exit, _, error) = await RunAsync(["demo", "--latency", "fast"]);

        exit.ShouldNotBe(0);
        error.ShouldContain("--latency");
    }

    [Fact]
    public async Task Sandbox_RunsUntilCancelledAndServesTheApi()
    {
        using var cts = new CancellationTokenSource();
        var output = new SignallingWriter("Sandbox listening on ");
        var run = SalvoCli.CreateRootCommand().Parse(["sandbox", "--latency", "1ms", "--rate-limit", "5/1m"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() }, cts.Token);

        var line = await output.Seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var url = line[(line.IndexOf("http://", StringComparison.Ordinal))..].Trim();
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(new Uri(url), "user/balance"));
        response.IsSuccessStatusCode.ShouldBeTrue();
        response.Headers.GetValues("X-RateLimit-Limit").Single().ShouldBe("5");
        await cts.CancelAsync();

        (await run.WaitAsync(TimeSpan.FromSeconds(30))).ShouldBe(0);
        output.ToString().ShouldContain("Served 1 requests");
    }

    [Fact]
    public async Task Sandbox_BadRateLimit_ExitsWithUsageError()
    {
        var (exit, _, error) = await RunAsync(["sandbox", "--rate-limit", "lots"]);

        exit.ShouldBe(2);
        error.ShouldContain("salvo sandbox:");
    }

    [Fact]
    public async Task Sandbox_SlowFactorBelowOne_ExitsWithUsageError()
    {
        var (exit, _, error) = await RunAsync(["sandbox", "--slow-rate", "0.1", "--slow-factor", "0.5"]);

        exit.ShouldBe(2);
        error.ShouldContain("SlowFactor");
    }

    [Fact]
    public async Task BenchMemory_Json_ProcessesEveryItem()
    {
        var (exit, output, _) = await RunAsync(["bench", "memory", "--items", "5000", "--concurrency", "32", "--json"]);

        exit.ShouldBe(0);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("items").GetInt32().ShouldBe(5000);
        json.RootElement.GetProperty("failed").GetInt64().ShouldBe(0);
        json.RootElement.GetProperty("peak_rss_mb").GetDouble().ShouldBeGreaterThan(0);
        json.RootElement.GetProperty("samples").GetArrayLength().ShouldBe(10);
    }

    [Fact]
    public async Task BenchChaos_Json_EveryCallEndsOnceTypedAndWithinItsBudget()
    {
        var (exit, output, _) = await RunAsync(
            ["bench", "chaos", "--requests", "300", "--concurrency", "8", "--fault-rate", "0.2", "--reset-rate", "0.05", "--hang-rate", "0.01",
             "--burst-every", "500ms", "--burst-length", "50ms", "--latency", "0", "--attempt", "2s", "--total", "8s", "--json"]);

        exit.ShouldBe(0);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("requests").GetInt32().ShouldBe(300);
        (root.GetProperty("succeeded").GetInt64() + root.GetProperty("failed_typed").GetInt64()).ShouldBe(300);
        root.GetProperty("untyped_errors").GetInt64().ShouldBe(0);
        root.GetProperty("lost").GetInt32().ShouldBe(0);
        root.GetProperty("duplicated").GetInt32().ShouldBe(0);
        root.GetProperty("faults").GetInt64().ShouldBeGreaterThan(0, output);
        root.GetProperty("server_requests").GetInt64().ShouldBeGreaterThan(300, $"failed attempts were retried: {output}");
        root.GetProperty("max_over_budget_ms").GetDouble().ShouldBeLessThan(250, "no call outlives its 8 s budget by more than timer and scheduling slack (the bench's target is 50 ms; CI machines are shared)");
    }

    [Fact]
    public async Task BenchAdaptive_Json_PrintsOneObjectWithTheSixFields()
    {
        // Tiny: a few callers, a capacity of 2 and short runs; the shape is asserted here, the targets by the full bench.
        var (exit, output, _) = await RunAsync(
            ["bench", "adaptive", "--json", "--duration", "300ms", "--warmup", "0", "--requests", "400", "--callers", "8", "--capacity", "2",
             "--latency", "5ms", "--fixed", "1,2,4", "--min-limit", "1", "--max-limit", "16", "--initial-limit", "2", "--probe-interval", "1s"]);

        exit.ShouldBe(0);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(
            ["adaptive_rps", "best_fixed_rps", "best_fixed_concurrency", "ratio", "adaptive_error_rate", "unbounded_error_rate"]);
        root.GetProperty("adaptive_rps").GetDouble().ShouldBeGreaterThan(0);
        root.GetProperty("best_fixed_rps").GetDouble().ShouldBeGreaterThan(0);
        root.GetProperty("best_fixed_concurrency").GetInt32().ShouldBeOneOf(1, 2, 4);
        root.GetProperty("ratio").GetDouble().ShouldBe(
            root.GetProperty("adaptive_rps").GetDouble() / root.GetProperty("best_fixed_rps").GetDouble(), 0.01);
        root.GetProperty("adaptive_error_rate").GetDouble().ShouldBeInRange(0, 1);
        root.GetProperty("unbounded_error_rate").GetDouble().ShouldBeGreaterThan(0, "8 callers overrun a capacity of 2 (503 past 4)");
    }

    [Fact]
    public async Task BenchAdaptive_BadFixedList_ExitsWithUsageError()
    {
        var (exit, _, error) = await RunAsync(["bench", "adaptive", "--fixed", "8,lots"]);

        exit.ShouldBe(2);
        error.ShouldContain("--fixed");
    }

    [Fact]
    public async Task BenchPoliteness_Json_SalvoDrawsNo429WhereTheNaiveClientDoes()
    {
        var (exit, output, _) = await RunAsync(
            ["bench", "politeness", "--json", "--requests", "40", "--concurrency", "10", "--limits", "10/1s,20/3s", "--latency", "1ms"]);

        exit.ShouldBe(0);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["requests", "server_429", "naive_server_429", "elapsed_s", "ideal_s", "efficiency"]);
        root.GetProperty("requests").GetInt32().ShouldBe(40);
        root.GetProperty("server_429").GetInt64().ShouldBe(0);
        root.GetProperty("naive_server_429").GetInt64().ShouldBeGreaterThan(0);
        root.GetProperty("ideal_s").GetDouble().ShouldBe(4, "10 at 0 s and 1 s, then the 3 s window: 10 at 3 s and 4 s");
        root.GetProperty("elapsed_s").GetDouble().ShouldBeGreaterThanOrEqualTo(4, "no client beats the windows");
        root.GetProperty("efficiency").GetDouble().ShouldBeGreaterThan(0.5, "a loose bound: the machine is shared; the bench's own target is 0.95");
    }

    [Fact]
    public async Task BenchPoliteness_BadLimits_Fails()
    {
        var (exit, _, error) = await RunAsync(["bench", "politeness", "--json", "--requests", "5", "--limits", "lots"]);

        exit.ShouldNotBe(0);
        error.ShouldContain("--limits");
    }

    [Fact]
    public async Task BenchHedging_Json_PrintsOneObjectWithTheHeadlineNumbers()
    {
        var (exit, output, _) = await RunAsync(
            ["bench", "hedging", "--json", "--requests", "60", "--warmup", "20", "--concurrency", "4", "--latency", "2ms", "--slow-rate", "0.1", "--slow-factor", "5", "--budget", "0.5"]);

        exit.ShouldBe(0);
        output.Trim().Split('\n').Length.ShouldBe(1, "exactly one JSON object");
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["p99_ms_off", "p99_ms_on", "p99_reduction", "extra_requests"]);
        root.GetProperty("p99_ms_off").GetDouble().ShouldBeGreaterThan(0);
        root.GetProperty("p99_ms_on").GetDouble().ShouldBeGreaterThan(0);
        root.GetProperty("p99_reduction").GetDouble().ShouldBe(
            root.GetProperty("p99_ms_off").GetDouble() / root.GetProperty("p99_ms_on").GetDouble(), 0.01);
        // A fraction of the 60 requests sent, counted on the server: whole requests, at most the 50% budget.
        var extra = root.GetProperty("extra_requests").GetDouble() * 60;
        extra.ShouldBe(Math.Round(extra), 0.01);
        extra.ShouldBeInRange(0, 30);
    }

    [Fact]
    public async Task BenchHedging_Table_ShowsBothRunsAndTheHedges()
    {
        var (exit, output, _) = await RunAsync(
            ["bench", "hedging", "--requests", "40", "--warmup", "10", "--concurrency", "4", "--latency", "1ms", "--slow-rate", "0.1", "--slow-factor", "5"]);

        exit.ShouldBe(0);
        output.ShouldContain("p99 (ms)");
        output.ShouldContain("Server requests");
        output.ShouldContain("denied by the budget");
    }

    [Fact]
    public async Task BenchHedging_InvalidBudget_ExitsWithUsageError()
    {
        var (exit, _, error) = await RunAsync(["bench", "hedging", "--budget", "2"]);

        exit.ShouldBe(2);
        error.ShouldContain("BudgetRatio");
    }

    /// <summary>Captures output and completes <see cref="Seen"/> with the first line containing a marker.</summary>
    private sealed class SignallingWriter(string marker) : StringWriter
    {
        private readonly System.Text.StringBuilder _line = new();

        public TaskCompletionSource<string> Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Write(char value)
        {
            base.Write(value);
            if (value != '\n')
            {
                _line.Append(value);
                return;
            }
            var line = _line.ToString();
            _line.Clear();
            if (line.Contains(marker, StringComparison.Ordinal))
                Seen.TrySetResult(line);
        }

        public override void Write(string? value)
        {
            foreach (var c in value ?? "")
                Write(c);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            for (var i = 0; i < count; i++)
                Write(buffer[index + i]);
        }
    }
}
