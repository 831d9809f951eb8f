using System.Text.Json;

namespace Salvo.FunctionalTests.Cli;

/// <summary><c>salvo bench realtime</c> and the demo's real-time-vs-polling scenario, in-process on the Sandbox.</summary>
public class RealtimeCliTests
{
    [Fact]
    public async Task BenchRealtime_Json_OneStreamConnectionBeatsPollingOnDelay()
    {
        var (exit, output, _) = await CliTests.RunAsync(["bench", "realtime", "--json", "--duration", "1500ms", "--poll-interval", "100ms"]);

        exit.ShouldBe(0, "every update published in the window reached the stream");
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["updates", "polling_requests", "stream_connections", "polling_delay_p50_ms", "stream_delay_p50_ms"]);
        root.GetProperty("updates").GetInt64().ShouldBeGreaterThan(20); // 1.5 s at one update per 30 ms
        root.GetProperty("polling_requests").GetInt64().ShouldBeInRange(10, 16);
        root.GetProperty("stream_connections").GetInt32().ShouldBe(1);
        var stream = root.GetProperty("stream_delay_p50_ms").GetDouble();
        var polling = root.GetProperty("polling_delay_p50_ms").GetDouble();
        stream.ShouldBeLessThanOrEqualTo(20);
        polling.ShouldBeInRange(15, 100); // about half of 100 ms
        polling.ShouldBeGreaterThan(stream);
    }

    [Fact]
    public async Task BenchRealtime_WebSocketTable_ShowsBothWays()
    {
        var (exit, output, _) = await CliTests.RunAsync(["bench", "realtime", "--websocket", "--duration", "500ms", "--poll-interval", "100ms"]);

        exit.ShouldBe(0);
        output.ShouldContain("polling every");
        output.ShouldContain("half its interval (50 ms)");
        output.ShouldContain("WebSocket");
        output.ShouldContain("1 connection");
    }

    [Fact]
    public async Task BenchRealtime_PollIntervalLongerThanTheWindow_ExitsWithUsageError()
    {
        var (exit, _, error) = await CliTests.RunAsync(["bench", "realtime", "--duration", "1s", "--poll-interval", "2s"]);

        exit.ShouldBe(2);
        error.ShouldContain("--poll-interval");
    }

    [Fact]
    public async Task Demo_Json_IncludesTheRealtimeScenario()
    {
        var (exit, output, _) = await CliTests.RunAsync(
            ["demo", "--json", "--latency", "1ms", "--queries", "1", "--games", "1", "--events", "1", "--connection-requests", "0", "--realtime-duration", "1s", "--poll-interval", "100ms"]);

        exit.ShouldBe(0);
        using var json = JsonDocument.Parse(output);
        var realtime = json.RootElement.GetProperty("realtime");
        realtime.GetProperty("stream_connections").GetInt32().ShouldBe(1);
        realtime.GetProperty("polling_requests").GetInt64().ShouldBeInRange(7, 11);
        realtime.GetProperty("stream_delay_p50_ms").GetDouble().ShouldBeLessThan(realtime.GetProperty("polling_delay_p50_ms").GetDouble());
    }

    [Fact]
    public async Task Demo_RealtimeDurationZero_SkipsTheScenario()
    {
        var (exit, output, _) = await CliTests.RunAsync(
            ["demo", "--json", "--latency", "1ms", "--queries", "1", "--games", "1", "--events", "1", "--connection-requests", "0", "--realtime-duration", "0"]);

        exit.ShouldBe(0);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("realtime").ValueKind.ShouldBe(JsonValueKind.Null);
    }
}
