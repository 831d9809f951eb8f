using System.CommandLine;
using Salvo.Cli.Bench;

namespace Salvo.Cli.Commands;

/// <summary><c>salvo bench ...</c>: measured scenarios, each printing one JSON object with <c>--json</c>.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measured scenarios; each prints one JSON object with --json.");
        command.Subcommands.Add(MemoryBench.CreateCommand());
        command.Subcommands.Add(ChaosBench.CreateCommand());
        command.Subcommands.Add(AdaptiveBench.CreateCommand());
        command.Subcommands.Add(PolitenessBench.CreateCommand());
        command.Subcommands.Add(HedgingBench.CreateCommand());
        command.Subcommands.Add(AuthBench.CreateCommand());
        command.Subcommands.Add(RealtimeBench.CreateCommand());
        command.Subcommands.Add(CacheBench.CreateCommand());
        return command;
    }
}
