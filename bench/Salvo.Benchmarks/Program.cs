using BenchmarkDotNet.Running;
using Salvo.Benchmarks.Client;

if (args.Length > 0 && args[0] == "alloc")
    await AllocationProbe.RunAsync(args[1..]);
else
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
