namespace Salvo.Concurrency;

/// <summary>
/// Bounded fan-out over a sequence: run an async call per item with at most N in flight, and stream the
/// results back as they finish (or in input order) with flat memory however long the sequence is.
/// </summary>
/// <remarks>
/// <para>
/// This replaces the seeds' <c>asyncio.gather(*[fetch(id) for id in ids])</c> behind a semaphore. That pattern
/// creates every task up front (memory grows with the input), returns nothing until the last call ends, and
/// loses all results when one call fails. Here the source is pulled lazily, one item per free slot; results
/// arrive while later items are still running; and each item ends in an <see cref="ItemResult{TSource, TResult}"/>
/// that carries either its value or its error.
/// </para>
/// <para>
/// An item holds its slot from the moment it is pulled until the consumer has taken its result, so a slow
/// consumer slows the calls and the pulling of the source (back-pressure) instead of piling up results.
/// Each selector receives a token that is cancelled when the caller cancels, when the consumer stops early
/// and, in <see cref="ErrorMode.FailFast"/> mode, when an item fails. The enumeration never ends, normally or
/// not, while work it started is still running.
/// </para>
/// <para>
/// The selector is invoked on a single producer loop, so its synchronous part (before its first
/// <c>await</c>) should be short, as it is for an HTTP call; wrap CPU-bound work in <see cref="Task.Run(Func{Task})"/>.
/// </para>
/// </remarks>
public static partial class ConcurrentEnumerable
{
    /// <summary>Runs <paramref name="selector"/> for every item with at most <paramref name="maxConcurrency"/> in flight, and streams the results.</summary>
    /// <typeparam name="TSource">The type of the items.</typeparam>
    /// <typeparam name="TResult">The type of the selector's value.</typeparam>
    /// <param name="source">The items; enumerated lazily, one item per free slot, once per enumeration of the result.</param>
    /// <param name="selector">The call to make per item; it receives the item and a token to honour.</param>
    /// <param name="maxConcurrency">The most items in progress at once (at least 1).</param>
    /// <param name="order">Whether results come back as they finish or in input order.</param>
    /// <param name="cancellationToken">Cancels the whole fan-out; the enumeration then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>One <see cref="ItemResult{TSource, TResult}"/> per item, each holding its value or its error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="selector"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> is less than 1, or <paramref name="order"/> is not defined.</exception>
    /// <remarks>
    /// Failures are collected (<see cref="ErrorMode.Collect"/>): every item yields exactly one result. If the
    /// source itself throws, the items already pulled still finish and are yielded, then the enumeration
    /// throws the source's exception. Use the <see cref="ConcurrencyOptions"/> overload for
    /// <see cref="ErrorMode.FailFast"/>.
    /// </remarks>
    public static IAsyncEnumerable<ItemResult<TSource, TResult>> SelectConcurrentAsync<TSource, TResult>(
        this IEnumerable<TSource> source,
        Func<TSource, CancellationToken, Task<TResult>> selector,
        int maxConcurrency,
        ResultOrder order = ResultOrder.Completion,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(selector);
        Validate(maxConcurrency, order, ErrorMode.Collect);
        return new ConcurrentSelectEnumerable<TSource, TResult>(source, null, selector, maxConcurrency, order, ErrorMode.Collect, cancellationToken);
    }

    /// <summary>Runs <paramref name="selector"/> for every item as <paramref name="options"/> say, and streams the results.</summary>
    /// <typeparam name="TSource">The type of the items.</typeparam>
    /// <typeparam name="TResult">The type of the selector's value.</typeparam>
    /// <param name="source">The items; enumerated lazily, one item per free slot, once per enumeration of the result.</param>
    /// <param name="selector">The call to make per item; it receives the item and a token to honour.</param>
    /// <param name="options">The bound, the order of results and the error mode; read once, when this method is called.</param>
    /// <param name="cancellationToken">Cancels the whole fan-out; the enumeration then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>One <see cref="ItemResult{TSource, TResult}"/> per item, each holding its value or its error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/>, <paramref name="selector"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> holds an undefined order or error mode.</exception>
    /// <remarks>
    /// In <see cref="ErrorMode.FailFast"/> mode the first failure (of an item or of the source) cancels the items
    /// still running and, once they have stopped, is thrown from the enumeration as is; results not yet read
    /// and the items cancelled because of it are not reported.
    /// </remarks>
    public static IAsyncEnumerable<ItemResult<TSource, TResult>> SelectConcurrentAsync<TSource, TResult>(
        this IEnumerable<TSource> source,
        Func<TSource, CancellationToken, Task<TResult>> selector,
        ConcurrencyOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options.MaxConcurrency, options.Order, options.Errors);
        return new ConcurrentSelectEnumerable<TSource, TResult>(source, null, selector, options.MaxConcurrency, options.Order, options.Errors, cancellationToken);
    }

    private static void Validate(int maxConcurrency, ResultOrder order, ErrorMode errors)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        if (order is not (ResultOrder.Completion or ResultOrder.Input))
            throw new ArgumentOutOfRangeException(nameof(order), order, "Unknown result order.");
        if (errors is not (ErrorMode.Collect or ErrorMode.FailFast))
            throw new ArgumentOutOfRangeException(nameof(errors), errors, "Unknown error mode.");
    }
}
