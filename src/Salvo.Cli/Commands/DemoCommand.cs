using System.CommandLine;
using System.Text.Json;
using Salvo.Cli.Demo;
using Spectre.Console;

namespace Salvo.Cli.Commands;

/// <summary><c>salvo demo</c>: the seed's sequential-vs-concurrent table, measured on the in-process Sandbox.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var latency = CliOptions.Duration("--latency", "Sandbox latency per request (e.g. 200ms).", "200ms");
        var connectLatency = CliOptions.Duration("--connect-latency", "Simulated round trips of a new connection's TCP + TLS handshake, for the pooling row.", "100ms");
        var queries = CliOptions.Count("--queries", "Independent queries in the dashboard scenario.", 5);
        var games = CliOptions.Count("--games", "Game details fetched.", 10);
        var events = CliOptions.Count("--events", "Sport events fetched.", 50);
        var connections = CliOptions.Count("--connection-requests", "Requests in the new-connection-vs-pooled scenario (0 skips it).", 10, min: 0);
        var realtimeDuration = CliOptions.Duration("--realtime-duration", "How long the real-time-vs-polling scenario streams and polls side by side (0 skips it).", "3s");
        var pollInterval = CliOptions.Duration("--poll-interval", "How often the polling side of the real-time scenario asks.", "500ms");
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table." };

        var command = new Command("demo", "Reproduce the seed's benchmark table: sequential calls vs Salvo, on the built-in Sandbox.")
        {
            latency, connectLatency, queries, games, events, connections, realtimeDuration, pollInterval, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new DemoSettings(
                parse.GetValue(latency), parse.GetValue(connectLatency), parse.GetValue(queries),
                parse.GetValue(games), parse.GetValue(events), parse.GetValue(connections), parse.GetValue(realtimeDuration), parse.GetValue(pollInterval));
            if (settings.RealtimeDuration > TimeSpan.Zero
                && Bench.RealtimeBench.Check(settings.RealtimeDuration, settings.PollInterval, TimeSpan.FromMilliseconds(1)) is { } problem)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"salvo demo: {problem.Replace("--duration", "--realtime-duration", StringComparison.Ordinal)}");
                return 2;
            }
            var runner = new DemoRunner(settings);
            if (parse.GetValue(json))
            {
                var report = await runner.RunAsync(new Progress<(string, bool)>(), ct);
                await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(report, DemoReportJson.Default.DemoReport));
                return 0;
            }

            var console = SalvoCli.Console(parse);
            DemoReport? result = null;
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    var tasks = new Dictionary<string, ProgressTask>();
                    var reporter = new SynchronousProgress<(string Scenario, bool Done)>(update =>
                    {
                        if (!tasks.TryGetValue(update.Scenario, out var task))
                            tasks[update.Scenario] = task = progress.AddTask(Markup.Escape(update.Scenario), maxValue: 1);
                        if (update.Done)
                            task.Increment(1);
                    });
                    result = await runner.RunAsync(reporter, ct);
                });
            DemoView.Render(console, result!);
            return 0;
        });
        return command;
    }
}
