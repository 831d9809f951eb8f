namespace Salvo.Concurrency;

// Arities 2 to 7 follow one pattern; change them together (and Concurrently.Factories.cs).
public static partial class Concurrently
{
    /// <summary>Waits for all 2 tasks and returns their values as a tuple, in argument order.</summary>
    /// <typeparam name="T1">The type of the first value.</typeparam>
    /// <typeparam name="T2">The type of the second value.</typeparam>
    /// <param name="t1">The first task.</param>
    /// <param name="t2">The second task.</param>
    /// <returns>The tasks' values, in argument order.</returns>
    /// <exception cref="ArgumentNullException">A task is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Several tasks failed; it holds every failure, in argument order.</exception>
    /// <exception cref="OperationCanceledException">No task failed but at least one was cancelled.</exception>
    /// <remarks>Exactly one failed task rethrows its exception as is, with its original stack trace. All tasks are awaited even after one fails.</remarks>
    public static Task<(T1, T2)> All<T1, T2>(Task<T1> t1, Task<T2> t2)
    {
        ArgumentNullException.ThrowIfNull(t1);
        ArgumentNullException.ThrowIfNull(t2);
        return AllCoreAsync(t1, t2);
    }

    /// <summary>Waits for all 3 tasks and returns their values as a tuple, in argument order.</summary>
    /// <typeparam name="T1">The type of the first value.</typeparam>
    /// <typeparam name="T2">The type of the second value.</typeparam>
    /// <typeparam name="T3">The type of the third value.</typeparam>
    /// <param name="t1">The first task.</param>
    /// <param name="t2">The second task.</param>
    /// <param name="t3">The third task.</param>
    /// <returns>The tasks' values, in argument order.</returns>
    /// <exception cref="ArgumentNullException">A task is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Several tasks failed; it holds every failure, in argument order.</exception>
    /// <exception cref="OperationCanceledException">No task failed but at least one was cancelled.</exception>
    /// <remarks>Exactly one failed task rethrows its exception as is, with its original stack trace. All tasks are awaited even after one fails.</remarks>
    public static Task<(T1, T2, T3)> All<T1, T2, T3>(Task<T1> t1, Task<T2> t2, Task<T3> t3)
    {
        ArgumentNullException.ThrowIfNull(t1);
        ArgumentNullException.ThrowIfNull(t2);
        ArgumentNullException.ThrowIfNull(t3);
        return AllCoreAsync(t1, t2, t3);
    }

    /// <summary>Waits for all 4 tasks and returns their values as a tuple, in argument order.</summary>
    /// <typeparam name="T1">The type of the first value.</typeparam>
    /// <typeparam name="T2">The type of the second value.</typeparam>
    /// <typeparam name="T3">The type of the third value.</typeparam>
    /// <typeparam name="T4">The type of the fourth value.</typeparam>
    /// <param name="t1">The first task.</param>
    /// <param name="t2">The second task.</param>
    /// <param name="t3">The third task.</param>
    /// <param name="t4">The fourth task.</param>
    /// <returns>The tasks' values, in argument order.</returns>
    /// <exception cref="ArgumentNullException">A task is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Several tasks failed; it holds every failure, in argument order.</exception>
    /// <exception cref="OperationCanceledException">No task failed but at least one was cancelled.</exception>
    /// <remarks>Exactly one failed task rethrows its exception as is, with its original stack trace. All tasks are awaited even after one fails.</remarks>
    public static Task<(T1, T2, T3, T4)> All<T1, T2, T3, T4>(Task<T1> t1, Task<T2> t2, Task<T3> t3, Task<T4> t4)
    {
        ArgumentNullException.ThrowIfNull(t1);
        ArgumentNullException.ThrowIfNull(t2);
        ArgumentNullException.ThrowIfNull(t3);
        ArgumentNullException.ThrowIfNull(t4);
        return AllCoreAsync(t1, t2, t3, t4);
    }

    /// <summary>Waits for all 5 tasks and returns their values as a tuple, in argument order.</summary>
    /// <typeparam name="T1">The type of the first value.</typeparam>
    /// <typeparam name="T2">The type of the second value.</typeparam>
    /// <typeparam name="T3">The type of the third value.</typeparam>
    /// <typeparam name="T4">The type of the fourth value.</typeparam>
    /// <typeparam name="T5">The type of the fifth value.</typeparam>
    /// <param name="t1">The first task.</param>
    /// <param name="t2">The second task.</param>
    /// <param name="t3">The third task.</param>
    /// <param name="t4">The fourth task.</param>
    /// <param name="t5">The fifth task.</param>
    /// <returns>The tasks' values, in argument order.</returns>
    /// <exception cref="ArgumentNullException">A task is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Several tasks failed; it holds every failure, in argument order.</exception>
    /// <exception cref="OperationCanceledException">No task failed but at least one was cancelled.</exception>
    /// <remarks>Exactly one failed task rethrows its exception as is, with its original stack trace. All tasks are awaited even after one fails.</remarks>
    public static Task<(T1, T2, T3, T4, T5)> All<T1, T2, T3, T4, T5>(Task<T1> t1, Task<T2> t2, Task<T3> t3, Task<T4> t4, Task<T5> t5)
    {
        ArgumentNullException.ThrowIfNull(t1);
        ArgumentNullException.ThrowIfNull(t2);
        ArgumentNullException.ThrowIfNull(t3);
        ArgumentNullException.ThrowIfNull(t4);
        ArgumentNullException.ThrowIfNull(t5);
        return AllCoreAsync(t1, t2, t3, t4, t5);
    }

    /// <summary>Waits for all 6 tasks and returns their values as a tuple, in argument order.</summary>
    /// <typeparam name="T1">The type of the first value.</typeparam>
    /// <typeparam name="T2">The type of the second value.</typeparam>
    /// <typeparam name="T3">The type of the third value.</typeparam>
    /// <typeparam name="T4">The type of the fourth value.</typeparam>
    /// <typeparam name="T5">The type of the fifth value.</typeparam>
    /// <typeparam name="T6">The type of the sixth value.</typeparam>
    /// <param name="t1">The first task.</param>
    /// <param name="t2">The second task.</param>
    /// <param name="t3">The third task.</param>
    /// <param name="t4">The fourth task.</param>
    /// <param name="t5">The fifth task.</param>
    /// <param name="t6">The sixth task.</param>
    /// <returns>The tasks' values, in argument order.</returns>
    /// <exception cref="ArgumentNullException">A task is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Several tasks failed; it holds every failure, in argument order.</exception>
    /// <exception cref="OperationCanceledException">No task failed but at least one was cancelled.</exception>
    /// <remarks>Exactly one failed task rethrows its exception as is, with its original stack trace. All tasks are awaited even after one fails.</remarks>
    public static Task<(T1, T2, T3, T4, T5, T6)> All<T1, T2, T3, T4, T5, T6>(Task<T1> t1, Task<T2> t2, Task<T3> t3, Task<T4> t4, Task<T5> t5, Task<T6> t6)
    {
        ArgumentNullException.ThrowIfNull(t1);
        ArgumentNullException.ThrowIfNull(t2);
        ArgumentNullException.ThrowIfNull(t3);
        ArgumentNullException.ThrowIfNull(t4);
        ArgumentNullException.ThrowIfNull(t5);
        ArgumentNullException.ThrowIfNull(t6);
        return AllCoreAsync(t1, t2, t3, t4, t5, t6);
    }

    /// <summary>Waits for all 7 tasks and returns their values as a tuple, in argument order.</summary>
    /// <typeparam name="T1">The type of the first value.</typeparam>
    /// <typeparam name="T2">The type of the second value.</typeparam>
    /// <typeparam name="T3">The type of the third value.</typeparam>
    /// <typeparam name="T4">The type of the fourth value.</typeparam>
    /// <typeparam name="T5">The type of the fifth value.</typeparam>
    /// <typeparam name="T6">The type of the sixth value.</typeparam>
    /// <typeparam name="T7">The type of the seventh value.</typeparam>
    /// <param name="t1">The first task.</param>
    /// <param name="t2">The second task.</param>
    /// <param name="t3">The third task.</param>
    /// <param name="t4">The fourth task.</param>
    /// <param name="t5">The fifth task.</param>
    /// <param name="t6">The sixth task.</param>
    /// <param name="t7">The seventh task.</param>
    /// <returns>The tasks' values, in argument order.</returns>
    /// <exception cref="ArgumentNullException">A task is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Several tasks failed; it holds every failure, in argument order.</exception>
    /// <exception cref="OperationCanceledException">No task failed but at least one was cancelled.</exception>
    /// <remarks>Exactly one failed task rethrows its exception as is, with its original stack trace. All tasks are awaited even after one fails.</remarks>
    public static Task<(T1, T2, T3, T4, T5, T6, T7)> All<T1, T2, T3, T4, T5, T6, T7>(Task<T1> t1, Task<T2> t2, Task<T3> t3, Task<T4> t4, Task<T5> t5, Task<T6> t6, Task<T7> t7)
    {
        ArgumentNullException.ThrowIfNull(t1);
        ArgumentNullException.ThrowIfNull(t2);
        ArgumentNullException.ThrowIfNull(t3);
        ArgumentNullException.ThrowIfNull(t4);
        ArgumentNullException.ThrowIfNull(t5);
        ArgumentNullException.ThrowIfNull(t6);
        ArgumentNullException.ThrowIfNull(t7);
        return AllCoreAsync(t1, t2, t3, t4, t5, t6, t7);
    }
}
