namespace Salvo.Concurrency;

/// <summary>
/// The seeds' <c>asyncio.gather</c>, typed: run independent calls at the same time and get their values back
/// as a tuple, <c>var (balance, games, events) = await Concurrently.All(a, b, c);</c>, or with
/// <c>using static Salvo.Concurrency.Concurrently;</c> simply <c>await All(a, b, c)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Unlike <c>gather</c>, <c>All</c> always waits for every task, so no call keeps running unobserved after the
/// await returns or throws. Unlike <see cref="Task.WhenAll(Task[])"/>, a single failure is rethrown as is (so
/// <c>catch (SalvoHttpException)</c> works) and several failures come back together in one
/// <see cref="AggregateException"/>, in argument order, rather than only the first.
/// </para>
/// <para>
/// The overloads that take factories (<c>Func&lt;CancellationToken, Task&lt;T&gt;&gt;</c>) start the calls themselves
/// with a shared token, which lets the first failure cancel the other calls.
/// </para>
/// </remarks>
public static partial class Concurrently
{
    /// <summary>Waits for every task of a list and returns their values in list order.</summary>
    /// <typeparam name="T">The type of the values.</typeparam>
    /// <param name="tasks">The tasks; read once, when this method is called.</param>
    /// <returns>The tasks' values, in list order (empty for an empty list).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tasks"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="tasks"/> contains <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Several tasks failed; it holds every failure, in list order.</exception>
    /// <exception cref="OperationCanceledException">No task failed but at least one was cancelled.</exception>
    /// <remarks>Exactly one failed task rethrows its exception as is. For a long or unbounded list, prefer <see cref="ConcurrentEnumerable"/>, which bounds how many run at once.</remarks>
    public static Task<T[]> All<T>(IEnumerable<Task<T>> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var array = tasks.ToArray();
        if (Array.IndexOf(array, null) >= 0)
            throw new ArgumentException("The list contains a null task.", nameof(tasks));
        return AllCoreAsync(array);
    }

    private static async Task<T[]> AllCoreAsync<T>(Task<T>[] tasks)
    {
        await ((Task)Task.WhenAll(tasks)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ConcurrentlyErrors.ThrowIfAnyFailed(tasks, default);
        var values = new T[tasks.Length];
        for (var i = 0; i < tasks.Length; i++)
            values[i] = tasks[i].Result;
        return values;
    }
}
