namespace Salvo.Concurrency;

// Arities 2 to 7 follow one pattern; change them together (and Concurrently.Tasks.cs).
public static partial class Concurrently
{
    /// <summary>Starts 2 calls with a shared token, waits for all of them, and returns their values as a tuple, in argument order.</summary>
    /// <typeparam name="T1">The type of the first value.</typeparam>
    /// <typeparam name="T2">The type of the second value.</typeparam>
    /// <param name="f1">Starts the first call; it receives the shared token.</param>
    /// <param name="f2">Starts the second call; it receives the shared token.</param>
    /// <param name="cancellationToken">Cancels every call.</param>
    /// <returns>The calls' values, in argument order.</returns>
    /// <exception cref="ArgumentNullException">A factory is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Several calls failed on their own; it holds every failure, in argument order.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled, or a call was cancelled and none failed.</exception>
    /// <remarks>
    /// The first call that fails cancels the shared token, so its siblings stop early instead of running on as
    /// <c>asyncio.gather</c> leaves them; this method still waits for them. The cancellations it caused are not
    /// reported, so one failure is rethrown as is. A factory that throws synchronously counts as a failed call.
    /// </remarks>
    public static Task<(T1, T2)> All<T1, T2>(Func<CancellationToken, Task<T1>> f1, Func<CancellationToken, Task<T2>> f2, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(f1);
        ArgumentNullException.ThrowIfNull(f2);
        return AllCoreAsync(f1, f2, cancellationToken);
    }

    /// <summary>Starts 3 calls with a shared token, waits for all of them, and returns their values as a tuple, in argument order.</summary>
    /// <typeparam name="T1">The type of the first value.</typeparam>
    /// <typeparam name="T2">The type of the second value.</typeparam>
    /// <typeparam name="T3">The type of the third value.</typeparam>
    /// <param name="f1">Starts the first call; it receives the shared token.</param>
    /// <param name="f2">Starts the second call; it receives the shared token.</param>
    /// <param name="f3">Starts the third call; it receives the shared token.</param>
    /// <param name="cancellationToken">Cancels every call.</param>
    /// <returns>The calls' values, in argument order.</returns>
    /// <exception cref="ArgumentNullException">A factory is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Several calls failed on their own; it holds every failure, in argument order.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled, or a call was cancelled and none failed.</exception>
    /// <remarks>
    /// The first call that fails cancels the shared token, so its siblings stop early instead of running on as
    /// <c>asyncio.gather</c> leaves them; this method still waits for them. The cancellations it caused are not
    /// reported, so one failure is rethrown as is. A factory that throws synchronously counts as a failed call.
    /// </remarks>
    public static Task<(T1, T2, T3)> All<T1, T2, T3>(Func<CancellationToken, Task<T1>> f1, Func<CancellationToken, Task<T2>> f2, Func<CancellationToken, Task<T3>> f3, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(f1);
        ArgumentNullException.ThrowIfNull(f2);
        ArgumentNullException.ThrowIfNull(f3);
        return AllCoreAsync(f1, f2, f3, cancellationToken);
    }

    /// <summary>Starts 4 calls with a shared token, waits for all of them, and returns their values as a tuple, in argument order.</summary>
    /// <typeparam name="T1">The type of the first value.</typeparam>
    /// <typeparam name="T2">The type of the second value.</typeparam>
    /// <typeparam name="T3">The type of the third value.</typeparam>
    /// <typeparam name="T4">The type of the fourth value.</typeparam>
    /// <param name="f1">Starts the first call; it receives the shared token.</param>
    /// <param name="f2">Starts the second call; it receives the shared token.</param>
    /// <param name="f3">Starts the third call; it receives the shared token.</param>
    /// <param name="f4">Starts the fourth call; it receives the shared token.</param>
    /// <param name="cancellationToken">Cancels every call.</param>
    /// <returns>The calls' values, in argument order.</returns>
    /// <exception cref="ArgumentNullException">A factory is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Several calls failed on their own; it holds every failure, in argument order.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled, or a call was cancelled and none failed.</exception>
    /// <remarks>
    /// The first call that fails cancels the shared token, so its siblings stop early instead of running on as
    /// <c>asyncio.gather</c> leaves them; this method still waits for them. The cancellations it caused are not
    /// reported, so one failure is rethrown as is. A factory that throws synchronously counts as a failed call.
    /// </remarks>
    public static Task<(T1, T2, T3, T4)> All<T1, T2, T3, T4>(Func<CancellationToken, Task<T1>> f1, Func<CancellationToken, Task<T2>> f2, Func<CancellationToken, Task<T3>> f3, Func<CancellationToken, Task<T4>> f4, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(f1);
        ArgumentNullException.ThrowIfNull(f2);
        ArgumentNullException.ThrowIfNull(f3);
        ArgumentNullException.ThrowIfNull(f4);
        return AllCoreAsync(f1, f2, f3, f4, cancellationToken);
    }

    /// <summary>Starts 5 calls with a shared token, waits for all of them, and returns their values as a tuple, in argument order.</summary>
    /// <typeparam name="T1">The type of the first value.</typeparam>
    /// <typeparam name="T2">The type of the second value.</typeparam>
    /// <typeparam name="T3">The type of the third value.</typeparam>
    /// <typeparam name="T4">The type of the fourth value.</typeparam>
    /// <typeparam name="T5">The type of the fifth value.</typeparam>
    /// <param name="f1">Starts the first call; it receives the shared token.</param>
    /// <param name="f2">Starts the second call; it receives the shared token.</param>
    /// <param name="f3">Starts the third call; it receives the shared token.</param>
    /// <param name="f4">Starts the fourth call; it receives the shared token.</param>
    /// <param name="f5">Starts the fifth call; it receives the shared token.</param>
    /// <param name="cancellationToken">Cancels every call.</param>
    /// <returns>The calls' values, in argument order.</returns>
    /// <exception cref="ArgumentNullException">A factory is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Several calls failed on their own; it holds every failure, in argument order.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled, or a call was cancelled and none failed.</exception>
    /// <remarks>
    /// The first call that fails cancels the shared token, so its siblings stop early instead of running on as
    /// <c>asyncio.gather</c> leaves them; this method still waits for them. The cancellations it caused are not
    /// reported, so one failure is rethrown as is. A factory that throws synchronously counts as a failed call.
    /// </remarks>
    public static Task<(T1, T2, T3, T4, T5)> All<T1, T2, T3, T4, T5>(Func<CancellationToken, Task<T1>> f1, Func<CancellationToken, Task<T2>> f2, Func<CancellationToken, Task<T3>> f3, Func<CancellationToken, Task<T4>> f4, Func<CancellationToken, Task<T5>> f5, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(f1);
        ArgumentNullException.ThrowIfNull(f2);
        ArgumentNullException.ThrowIfNull(f3);
        ArgumentNullException.ThrowIfNull(f4);
        ArgumentNullException.ThrowIfNull(f5);
        return AllCoreAsync(f1, f2, f3, f4, f5, cancellationToken);
    }

    /// <summary>Starts 6 calls with a shared token, waits for all of them, and returns their values as a tuple, in argument order.</summary>
    /// <typeparam name="T1">The type of the first value.</typeparam>
    /// <typeparam name="T2">The type of the second value.</typeparam>
    /// <typeparam name="T3">The type of the third value.</typeparam>
    /// <typeparam name="T4">The type of the fourth value.</typeparam>
    /// <typeparam name="T5">The type of the fifth value.</typeparam>
    /// <typeparam name="T6">The type of the sixth value.</typeparam>
    /// <param name="f1">Starts the first call; it receives the shared token.</param>
    /// <param name="f2">Starts the second call; it receives the shared token.</param>
    /// <param name="f3">Starts the third call; it receives the shared token.</param>
    /// <param name="f4">Starts the fourth call; it receives the shared token.</param>
    /// <param name="f5">Starts the fifth call; it receives the shared token.</param>
    /// <param name="f6">Starts the sixth call; it receives the shared token.</param>
    /// <param name="cancellationToken">Cancels every call.</param>
    /// <returns>The calls' values, in argument order.</returns>
    /// <exception cref="ArgumentNullException">A factory is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Several calls failed on their own; it holds every failure, in argument order.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled, or a call was cancelled and none failed.</exception>
    /// <remarks>
    /// The first call that fails cancels the shared token, so its siblings stop early instead of running on as
    /// <c>asyncio.gather</c> leaves them; this method still waits for them. The cancellations it caused are not
    /// reported, so one failure is rethrown as is. A factory that throws synchronously counts as a failed call.
    /// </remarks>
    public static Task<(T1, T2, T3, T4, T5, T6)> All<T1, T2, T3, T4, T5, T6>(Func<CancellationToken, Task<T1>> f1, Func<CancellationToken, Task<T2>> f2, Func<CancellationToken, Task<T3>> f3, Func<CancellationToken, Task<T4>> f4, Func<CancellationToken, Task<T5>> f5, Func<CancellationToken, Task<T6>> f6, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(f1);
        ArgumentNullException.ThrowIfNull(f2);
        ArgumentNullException.ThrowIfNull(f3);
        ArgumentNullException.ThrowIfNull(f4);
        ArgumentNullException.ThrowIfNull(f5);
        ArgumentNullException.ThrowIfNull(f6);
        return AllCoreAsync(f1, f2, f3, f4, f5, f6, cancellationToken);
    }

    /// <summary>Starts 7 calls with a shared token, waits for all of them, and returns their values as a tuple, in argument order.</summary>
    /// <typeparam name="T1">The type of the first value.</typeparam>
    /// <typeparam name="T2">The type of the second value.</typeparam>
    /// <typeparam name="T3">The type of the third value.</typeparam>
    /// <typeparam name="T4">The type of the fourth value.</typeparam>
    /// <typeparam name="T5">The type of the fifth value.</typeparam>
    /// <typeparam name="T6">The type of the sixth value.</typeparam>
    /// <typeparam name="T7">The type of the seventh value.</typeparam>
    /// <param name="f1">Starts the first call; it receives the shared token.</param>
    /// <param name="f2">Starts the second call; it receives the shared token.</param>
    /// <param name="f3">Starts the third call; it receives the shared token.</param>
    /// <param name="f4">Starts the fourth call; it receives the shared token.</param>
    /// <param name="f5">Starts the fifth call; it receives the shared token.</param>
    /// <param name="f6">Starts the sixth call; it receives the shared token.</param>
    /// <param name="f7">Starts the seventh call; it receives the shared token.</param>
    /// <param name="cancellationToken">Cancels every call.</param>
    /// <returns>The calls' values, in argument order.</returns>
    /// <exception cref="ArgumentNullException">A factory is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Several calls failed on their own; it holds every failure, in argument order.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled, or a call was cancelled and none failed.</exception>
    /// <remarks>
    /// The first call that fails cancels the shared token, so its siblings stop early instead of running on as
    /// <c>asyncio.gather</c> leaves them; this method still waits for them. The cancellations it caused are not
    /// reported, so one failure is rethrown as is. A factory that throws synchronously counts as a failed call.
    /// </remarks>
    public static Task<(T1, T2, T3, T4, T5, T6, T7)> All<T1, T2, T3, T4, T5, T6, T7>(Func<CancellationToken, Task<T1>> f1, Func<CancellationToken, Task<T2>> f2, Func<CancellationToken, Task<T3>> f3, Func<CancellationToken, Task<T4>> f4, Func<CancellationToken, Task<T5>> f5, Func<CancellationToken, Task<T6>> f6, Func<CancellationToken, Task<T7>> f7, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(f1);
        ArgumentNullException.ThrowIfNull(f2);
        ArgumentNullException.ThrowIfNull(f3);
        ArgumentNullException.ThrowIfNull(f4);
        ArgumentNullException.ThrowIfNull(f5);
        ArgumentNullException.ThrowIfNull(f6);
        ArgumentNullException.ThrowIfNull(f7);
        return AllCoreAsync(f1, f2, f3, f4, f5, f6, f7, cancellationToken);
    }
}
