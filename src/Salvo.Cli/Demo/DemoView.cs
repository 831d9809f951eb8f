using System.Globalization;
using Spectre.Console;

namespace Salvo.Cli.Demo;

/// <summary>Draws the demo's results: the seed's table, and its matplotlib bar chart in the terminal.</summary>
internal static class DemoView
{
    // The seed's own numbers (StakeAPI performance guide), shown beside ours when the row matches its count.
    private static readonly (string Suffix, int Requests, string Speedup)[] SeedImprovement =
    [
        ("balance check", 1, "—"), ("independent queries", 5, "4x"), ("game details", 10, "6.7x"), ("sport events", 50, "10x"),
    ];

    public static void Render(IAnsiConsole console, DemoReport report)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Sequential vs Salvo at {report.LatencyMs:0} ms per request")
            .AddColumn("Operation")
            .AddColumn(new TableColumn("Slow way").RightAligned())
            .AddColumn(new TableColumn("Salvo").RightAligned())
            .AddColumn(new TableColumn("Speedup").RightAligned())
            .AddColumn(new TableColumn("Seed's speedup").RightAligned())
            .AddColumn(new TableColumn("Limit").RightAligned());
        foreach (var s in report.Scenarios)
        {
            var connection = s.Baseline != "sequential";
            table.AddRow(
                Markup.Escape(s.Name),
                $"{Ms(s.SequentialMs)}{(connection ? " (new conn.)" : "")}",
                $"{Ms(s.ConcurrentMs)}{(connection ? " (pooled)" : "")}",
                $"[bold green]{s.Speedup.ToString("0.0", CultureInfo.InvariantCulture)}x[/]",
                connection ? "2.8x" : SeedSpeedup(s),
                connection ? "—" : $"{s.Requests}x");
        }
        console.Write(table);
        var c = report.Client;
        console.MarkupLine(
            $"[grey]One pooled client made {c.Calls} calls over {c.ConnectionsOpened} connections; latency p50 {c.P50Ms:0.0} ms, p99 {c.P99Ms:0.0} ms, warm-up included (client.Stats).[/]");

        var chart = new BarChart().Width(Math.Min(100, Math.Max(60, console.Profile.Width - 4)))
            .Label("[bold]Total time (ms): slow way vs Salvo[/]").CenterLabel();
        foreach (var s in report.Scenarios)
        {
            chart.AddItem($"{Short(s.Name)} · slow", Math.Round(s.SequentialMs), Color.Red);
            chart.AddItem($"{Short(s.Name)} · Salvo", Math.Round(s.ConcurrentMs), Color.Green);
        }
        console.WriteLine();
        console.Write(chart);
        if (report.ConnectLatencyMs > 0)
        {
            console.MarkupLine(
                $"[grey]The HTTPS row's Sandbox adds {report.ConnectLatencyMs:0} ms per new connection: the network round trips of a TCP + TLS handshake, which loopback does not have.[/]");
        }
        if (report.RealtimeDetail is { } realtime)
        {
            console.WriteLine();
            Bench.RealtimeBench.Render(console, realtime);
        }
    }

    private static string SeedSpeedup(ScenarioResult s)
    {
        foreach (var (suffix, requests, speedup) in SeedImprovement)
        {
            if (s.Name.EndsWith(suffix, StringComparison.Ordinal) && s.Requests == requests)
                return speedup;
        }
        return "—";
    }

    private static string Ms(double ms) => ms >= 10_000 ? $"{ms / 1000:0.0} s" : $"{ms:0} ms";

    private static string Short(string name) => name.Length <= 24 ? name : name[..24];
}
