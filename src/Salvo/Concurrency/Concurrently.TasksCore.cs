namespace Salvo.Concurrency;

// The awaiting halves of Concurrently.Tasks.cs; arities 2 to 7 follow one pattern, change them together.
public static partial class Concurrently
{
    private static async Task<(T1, T2)> AllCoreAsync<T1, T2>(Task<T1> t1, Task<T2> t2)
    {
        await Task.WhenAll(t1, t2).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ConcurrentlyErrors.ThrowIfAnyFailed([t1, t2], default);
        return (t1.Result, t2.Result);
    }

    private static async Task<(T1, T2, T3)> AllCoreAsync<T1, T2, T3>(Task<T1> t1, Task<T2> t2, Task<T3> t3)
    {
        await Task.WhenAll(t1, t2, t3).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ConcurrentlyErrors.ThrowIfAnyFailed([t1, t2, t3], default);
        return (t1.Result, t2.Result, t3.Result);
    }

    private static async Task<(T1, T2, T3, T4)> AllCoreAsync<T1, T2, T3, T4>(Task<T1> t1, Task<T2> t2, Task<T3> t3, Task<T4> t4)
    {
        await Task.WhenAll(t1, t2, t3, t4).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ConcurrentlyErrors.ThrowIfAnyFailed([t1, t2, t3, t4], default);
        return (t1.Result, t2.Result, t3.Result, t4.Result);
    }

    private static async Task<(T1, T2, T3, T4, T5)> AllCoreAsync<T1, T2, T3, T4, T5>(Task<T1> t1, Task<T2> t2, Task<T3> t3, Task<T4> t4, Task<T5> t5)
    {
        await Task.WhenAll(t1, t2, t3, t4, t5).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ConcurrentlyErrors.ThrowIfAnyFailed([t1, t2, t3, t4, t5], default);
        return (t1.Result, t2.Result, t3.Result, t4.Result, t5.Result);
    }

    private static async Task<(T1, T2, T3, T4, T5, T6)> AllCoreAsync<T1, T2, T3, T4, T5, T6>(Task<T1> t1, Task<T2> t2, Task<T3> t3, Task<T4> t4, Task<T5> t5, Task<T6> t6)
    {
        await Task.WhenAll(t1, t2, t3, t4, t5, t6).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ConcurrentlyErrors.ThrowIfAnyFailed([t1, t2, t3, t4, t5, t6], default);
        return (t1.Result, t2.Result, t3.Result, t4.Result, t5.Result, t6.Result);
    }

    private static async Task<(T1, T2, T3, T4, T5, T6, T7)> AllCoreAsync<T1, T2, T3, T4, T5, T6, T7>(Task<T1> t1, Task<T2> t2, Task<T3> t3, Task<T4> t4, Task<T5> t5, Task<T6> t6, Task<T7> t7)
    {
        await Task.WhenAll(t1, t2, t3, t4, t5, t6, t7).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ConcurrentlyErrors.ThrowIfAnyFailed([t1, t2, t3, t4, t5, t6, t7], default);
        return (t1.Result, t2.Result, t3.Result, t4.Result, t5.Result, t6.Result, t7.Result);
    }
}
