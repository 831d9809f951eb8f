namespace Salvo.Concurrency;

// The awaiting halves of Concurrently.Factories.cs; arities 2 to 7 follow one pattern, change them together.
public static partial class Concurrently
{
    private static async Task<(T1, T2)> AllCoreAsync<T1, T2>(Func<CancellationToken, Task<T1>> f1, Func<CancellationToken, Task<T2>> f2, CancellationToken cancellationToken)
    {
        using var group = new SiblingGroup(cancellationToken);
        var t1 = group.Start(f1);
        var t2 = group.Start(f2);
        await Task.WhenAll(t1, t2).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ConcurrentlyErrors.ThrowIfAnyFailed([t1, t2], cancellationToken);
        return (t1.Result, t2.Result);
    }

    private static async Task<(T1, T2, T3)> AllCoreAsync<T1, T2, T3>(Func<CancellationToken, Task<T1>> f1, Func<CancellationToken, Task<T2>> f2, Func<CancellationToken, Task<T3>> f3, CancellationToken cancellationToken)
    {
        using var group = new SiblingGroup(cancellationToken);
        var t1 = group.Start(f1);
        var t2 = group.Start(f2);
        var t3 = group.Start(f3);
        await Task.WhenAll(t1, t2, t3).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ConcurrentlyErrors.ThrowIfAnyFailed([t1, t2, t3], cancellationToken);
        return (t1.Result, t2.Result, t3.Result);
    }

    private static async Task<(T1, T2, T3, T4)> AllCoreAsync<T1, T2, T3, T4>(Func<CancellationToken, Task<T1>> f1, Func<CancellationToken, Task<T2>> f2, Func<CancellationToken, Task<T3>> f3, Func<CancellationToken, Task<T4>> f4, CancellationToken cancellationToken)
    {
        using var group = new SiblingGroup(cancellationToken);
        var t1 = group.Start(f1);
        var t2 = group.Start(f2);
        var t3 = group.Start(f3);
        var t4 = group.Start(f4);
        await Task.WhenAll(t1, t2, t3, t4).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ConcurrentlyErrors.ThrowIfAnyFailed([t1, t2, t3, t4], cancellationToken);
        return (t1.Result, t2.Result, t3.Result, t4.Result);
    }

    private static async Task<(T1, T2, T3, T4, T5)> AllCoreAsync<T1, T2, T3, T4, T5>(Func<CancellationToken, Task<T1>> f1, Func<CancellationToken, Task<T2>> f2, Func<CancellationToken, Task<T3>> f3, Func<CancellationToken, Task<T4>> f4, Func<CancellationToken, Task<T5>> f5, CancellationToken cancellationToken)
    {
        using var group = new SiblingGroup(cancellationToken);
        var t1 = group.Start(f1);
        var t2 = group.Start(f2);
        var t3 = group.Start(f3);
        var t4 = group.Start(f4);
        var t5 = group.Start(f5);
        await Task.WhenAll(t1, t2, t3, t4, t5).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ConcurrentlyErrors.ThrowIfAnyFailed([t1, t2, t3, t4, t5], cancellationToken);
        return (t1.Result, t2.Result, t3.Result, t4.Result, t5.Result);
    }

    private static async Task<(T1, T2, T3, T4, T5, T6)> AllCoreAsync<T1, T2, T3, T4, T5, T6>(Func<CancellationToken, Task<T1>> f1, Func<CancellationToken, Task<T2>> f2, Func<CancellationToken, Task<T3>> f3, Func<CancellationToken, Task<T4>> f4, Func<CancellationToken, Task<T5>> f5, Func<CancellationToken, Task<T6>> f6, CancellationToken cancellationToken)
    {
        using var group = new SiblingGroup(cancellationToken);
        var t1 = group.Start(f1);
        var t2 = group.Start(f2);
        var t3 = group.Start(f3);
        var t4 = group.Start(f4);
        var t5 = group.Start(f5);
        var t6 = group.Start(f6);
        await Task.WhenAll(t1, t2, t3, t4, t5, t6).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ConcurrentlyErrors.ThrowIfAnyFailed([t1, t2, t3, t4, t5, t6], cancellationToken);
        return (t1.Result, t2.Result, t3.Result, t4.Result, t5.Result, t6.Result);
    }

    private static async Task<(T1, T2, T3, T4, T5, T6, T7)> AllCoreAsync<T1, T2, T3, T4, T5, T6, T7>(Func<CancellationToken, Task<T1>> f1, Func<CancellationToken, Task<T2>> f2, Func<CancellationToken, Task<T3>> f3, Func<CancellationToken, Task<T4>> f4, Func<CancellationToken, Task<T5>> f5, Func<CancellationToken, Task<T6>> f6, Func<CancellationToken, Task<T7>> f7, CancellationToken cancellationToken)
    {
        using var group = new SiblingGroup(cancellationToken);
        var t1 = group.Start(f1);
        var t2 = group.Start(f2);
        var t3 = group.Start(f3);
        var t4 = group.Start(f4);
        var t5 = group.Start(f5);
        var t6 = group.Start(f6);
        var t7 = group.Start(f7);
        await Task.WhenAll(t1, t2, t3, t4, t5, t6, t7).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ConcurrentlyErrors.ThrowIfAnyFailed([t1, t2, t3, t4, t5, t6, t7], cancellationToken);
        return (t1.Result, t2.Result, t3.Result, t4.Result, t5.Result, t6.Result, t7.Result);
    }
}
