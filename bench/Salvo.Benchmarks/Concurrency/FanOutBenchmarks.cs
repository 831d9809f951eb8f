using BenchmarkDotNet.Attributes;
using Salvo.Benchmarks.Support;
using Salvo.Concurrency;

namespace Salvo.Benchmarks.Concurrency;

/// <summary>
/// Per-item overhead of Salvo's bounded helpers against <see cref="Task.WhenAll(IEnumerable{Task})"/> (the seeds'
/// gather: unbounded, every task created up front) and <see cref="Parallel.ForEachAsync{TSource}(IEnumerable{TSource}, ParallelOptions, Func{TSource, CancellationToken, ValueTask})"/>.
/// 1,000 items per operation, bound 64; divide by 1,000 for the per-item cost.
/// </summary>
[Config(typeof(BenchConfig))]
public class FanOutBenchmarks
{
    private const int Items = 1000;
    private const int Bound = 64;
    private static readonly int[] Source = Enumerable.Range(0, Items).ToArray();

    /// <summary>Yield: each item awaits once (like I/O); Completed: each item finishes synchronously.</summary>
    [Params("Yield", "Completed")]
    public string Work { get; set; } = "Yield";

    private Task<int> Item(int i) => Work == "Yield" ? YieldOnce(i) : Task.FromResult(i);

    private static async Task<int> YieldOnce(int i)
    {
        await Task.Yield();
        return i;
    }

    [Benchmark(Baseline = true, Description = "Task.WhenAll (unbounded)")]
    public async Task<int> WhenAll()
    {
        var results = await Task.WhenAll(Source.Select(Item));
        return results.Length;
    }

    [Benchmark(Description = "Parallel.ForEachAsync")]
    public async Task<int> ParallelForEach()
    {
        var sum = 0;
        await Parallel.ForEachAsync(Source, new ParallelOptions { MaxDegreeOfParallelism = Bound }, async (i, _) => Interlocked.Add(ref sum, await Item(i)));
        return sum;
    }

    [Benchmark(Description = "SelectConcurrentAsync")]
    public async Task<int> SelectConcurrent()
    {
        var count = 0;
        await foreach (var r in Source.SelectConcurrentAsync((i, _) => Item(i), Bound))
            count += r.IsSuccess ? 1 : 0;
        return count;
    }

    [Benchmark(Description = "SelectConcurrentAsync (input order)")]
    public async Task<int> SelectConcurrentOrdered()
    {
        var count = 0;
        await foreach (var r in Source.SelectConcurrentAsync((i, _) => Item(i), Bound, ResultOrder.Input))
            count += r.IsSuccess ? 1 : 0;
        return count;
    }

    [Benchmark(Description = "ForEachConcurrentAsync")]
    public async Task<int> ForEachConcurrent()
    {
        var sum = 0;
        await Source.ForEachConcurrentAsync(async (i, _) => Interlocked.Add(ref sum, await Item(i)), Bound);
        return sum;
    }

    [Benchmark(Description = "TaskGroup")]
    public async Task<int> TaskGroup()
    {
        await using var group = new TaskGroup<int>(new TaskGroupOptions { MaxConcurrency = Bound });
        foreach (var i in Source)
            await group.StartAsync(_ => Item(i));
        return (await group.WhenAllAsync()).Count;
    }
}
