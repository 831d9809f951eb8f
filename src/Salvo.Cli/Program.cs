using System.CommandLine;
using Salvo.Cli.Commands;

var root = new RootCommand("salvo — call HTTP APIs fast, politely and reliably.");
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(SandboxCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await root.Parse(args).InvokeAsync();
