using System.CommandLine;
using Salvo.Cli.Commands;
using Spectre.Console;

namespace Salvo.Cli;

/// <summary>The <c>salvo</c> command tree, built in one place so tests can invoke it in-process.</summary>
internal static class SalvoCli
{
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("salvo — call HTTP APIs fast, politely and reliably.");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(SandboxCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    /// <summary>A Spectre console writing to the invocation's output (the terminal, or a test's writer).</summary>
    public static IAnsiConsole Console(ParseResult parse)
    {
        var output = parse.InvocationConfiguration.Output;
        return ReferenceEquals(output, System.Console.Out)
            ? AnsiConsole.Console
            : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
    }
}
