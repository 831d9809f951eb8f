using System.CommandLine;
using System.Text.Json;
using Salvo.Cli.Commands;
using Spectre.Console;

namespace Salvo.Cli.Bench;

/// <summary>
/// <c>salvo bench realtime</c>: the Sandbox's live odds followed on one stream and by polling, side by side (see
/// <see cref="RealtimeComparison"/>). Targets: the stream's median delay at most 20 ms on one connection, against
/// polling's request per interval and its median delay of about half the interval.
/// </summary>
internal static class RealtimeBench
{
    public static Command CreateCommand()
    {
        var duration = CliOptions.Duration("--duration", "How long to stream and poll side by side.", "5s");
        var pollInterval = CliOptions.Duration("--poll-interval", "How often the poller asks for new updates.", "200ms");
        var feedInterval = CliOptions.Duration("--feed-interval", "How often the Sandbox publishes an odds change (not a divisor of the poll interval, so the two timers do not lock in phase).", RealtimeComparison.DefaultFeedInterval);
        var webSocket = new Option<bool>("--websocket") { Description = "Follow the WebSocket stream instead of server-sent events." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object." };
        var command = new Command("realtime", "Live odds on one stream versus polling: requests and publication-to-receipt delay.")
        {
            duration, pollInterval, feedInterval, webSocket, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (Check(parse.GetValue(duration), parse.GetValue(pollInterval), parse.GetValue(feedInterval)) is { } problem)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"salvo bench realtime: {problem}");
                return 2;
            }
            var result = await RealtimeComparison.RunAsync(
                new RealtimeSettings(parse.GetValue(duration), parse.GetValue(pollInterval), parse.GetValue(feedInterval), parse.GetValue(webSocket)), ct);
            var complete = result.StreamReceived == result.Updates;
            if (parse.GetValue(json))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(result.Headline, RealtimeJson.Default.RealtimeHeadline));
                return complete ? 0 : 1;
            }
            Render(SalvoCli.Console(parse), result);
            return complete ? 0 : 1;
        });
        return command;
    }

    /// <summary>The bounds every run respects: a window of at most ten minutes, intervals of at least 1 ms and at most the window.</summary>
    public static string? Check(TimeSpan duration, TimeSpan pollInterval, TimeSpan feedInterval)
    {
        if (duration <= TimeSpan.Zero || duration > TimeSpan.FromMinutes(10))
            return "--duration must be between 1 ms and 10 minutes.";
        if (pollInterval < TimeSpan.FromMilliseconds(1) || pollInterval > duration)
            return "--poll-interval must be at least 1 ms and at most --duration.";
        if (feedInterval < TimeSpan.FromMilliseconds(1))
            return "--feed-interval must be at least 1 ms.";
        return null;
    }

    public static void Render(IAnsiConsole console, RealtimeResult result)
    {
        var pollInterval = TimeSpan.FromMilliseconds(result.PollIntervalMs);
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Real-time vs polling: {result.Updates:N0} odds updates")
            .AddColumn("Way")
            .AddColumn(new TableColumn("Requests / connections").RightAligned())
            .AddColumn(new TableColumn("Updates received").RightAligned())
            .AddColumn(new TableColumn("Delay p50 (ms)").RightAligned())
            .AddColumn(new TableColumn("Delay p99 (ms)").RightAligned());
        table.AddRow($"polling every {pollInterval.TotalMilliseconds:0} ms", $"{result.PollingRequests:N0} requests", $"{result.PollingReceived:N0}",
            $"{result.PollingDelayP50Ms:0.00}", $"{result.PollingDelayP99Ms:0.00}");
        table.AddRow(result.Stream == "sse" ? "server-sent events" : "WebSocket", $"{result.StreamConnections} connection{(result.StreamConnections == 1 ? "" : "s")}",
            $"{result.StreamReceived:N0}", $"[bold green]{result.StreamDelayP50Ms:0.00}[/]", $"{result.StreamDelayP99Ms:0.00}");
        console.Write(table);
        console.MarkupLine(
            $"[grey]Delay is publication to receipt, stamped by the Sandbox and read on the same clock. Polling's median is about half its interval ({pollInterval.TotalMilliseconds / 2:0} ms); the stream's target is ≤ 20 ms on one connection.[/]");
    }
}
