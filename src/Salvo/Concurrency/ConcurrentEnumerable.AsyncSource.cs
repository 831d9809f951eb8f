namespace Salvo.Concurrency;

public static partial class ConcurrentEnumerable
{
    /// <summary>Runs <paramref name="selector"/> for every item of an async sequence with at most <paramref name="maxConcurrency"/> in flight, and streams the results.</summary>
    /// <typeparam name="TSource">The type of the items.</typeparam>
    /// <typeparam name="TResult">The type of the selector's value.</typeparam>
    /// <param name="source">The items (a paged API, another fan-out, a channel); pulled lazily, one item per free slot.</param>
    /// <param name="selector">The call to make per item; it receives the item and a token to honour.</param>
    /// <param name="maxConcurrency">The most items in progress at once (at least 1).</param>
    /// <param name="order">Whether results come back as they finish or in input order.</param>
    /// <param name="cancellationToken">Cancels the whole fan-out; the enumeration then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>One <see cref="ItemResult{TSource, TResult}"/> per item, each holding its value or its error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="selector"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> is less than 1, or <paramref name="order"/> is not defined.</exception>
    /// <remarks>
    /// The source's enumerator receives the fan-out's token, so stopping the fan-out also stops a source that
    /// honours it. Failures are collected as in the <see cref="IEnumerable{T}"/> overload.
    /// </remarks>
    public static IAsyncEnumerable<ItemResult<TSource, TResult>> SelectConcurrentAsync<TSource, TResult>(
        this IAsyncEnumerable<TSource> source,
        Func<TSource, CancellationToken, Task<TResult>> selector,
        int maxConcurrency,
        ResultOrder order = ResultOrder.Completion,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(selector);
        Validate(maxConcurrency, order, ErrorMode.Collect);
        return new ConcurrentSelectEnumerable<TSource, TResult>(null, source, selector, maxConcurrency, order, ErrorMode.Collect, cancellationToken);
    }

    /// <summary>Runs <paramref name="selector"/> for every item of an async sequence as <paramref name="options"/> say, and streams the results.</summary>
    /// <typeparam name="TSource">The type of the items.</typeparam>
    /// <typeparam name="TResult">The type of the selector's value.</typeparam>
    /// <param name="source">The items (a paged API, another fan-out, a channel); pulled lazily, one item per free slot.</param>
    /// <param name="selector">The call to make per item; it receives the item and a token to honour.</param>
    /// <param name="options">The bound, the order of results and the error mode; read once, when this method is called.</param>
    /// <param name="cancellationToken">Cancels the whole fan-out; the enumeration then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>One <see cref="ItemResult{TSource, TResult}"/> per item, each holding its value or its error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/>, <paramref name="selector"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> holds an undefined order or error mode.</exception>
    /// <remarks>Errors behave as in the <see cref="IEnumerable{T}"/> overload that takes <see cref="ConcurrencyOptions"/>.</remarks>
    public static IAsyncEnumerable<ItemResult<TSource, TResult>> SelectConcurrentAsync<TSource, TResult>(
        this IAsyncEnumerable<TSource> source,
        Func<TSource, CancellationToken, Task<TResult>> selector,
        ConcurrencyOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options.MaxConcurrency, options.Order, options.Errors);
        return new ConcurrentSelectEnumerable<TSource, TResult>(null, source, selector, options.MaxConcurrency, options.Order, options.Errors, cancellationToken);
    }
}
