namespace Salvo.Concurrency;

public static partial class ConcurrentEnumerable
{
    /// <summary>Runs <paramref name="body"/> for every item with at most <paramref name="maxConcurrency"/> in flight, and waits for all of them.</summary>
    /// <typeparam name="TSource">The type of the items.</typeparam>
    /// <param name="source">The items; enumerated lazily, one item per free slot.</param>
    /// <param name="body">The work to do per item; it receives the item and a token to honour.</param>
    /// <param name="maxConcurrency">The most items running at once (at least 1).</param>
    /// <param name="cancellationToken">Cancels the remaining work; the returned task then throws <see cref="OperationCanceledException"/> once running items have stopped.</param>
    /// <returns>A task that completes when every item has run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> is less than 1.</exception>
    /// <exception cref="AggregateException">
    /// One or more items failed: one <see cref="ConcurrentItemException"/> per failed item, in input order
    /// (thrown by the returned task, after every item has run).
    /// </exception>
    /// <remarks>
    /// Unlike <see cref="Parallel.ForEachAsync{TSource}(IEnumerable{TSource}, ParallelOptions, Func{TSource, CancellationToken, ValueTask})"/>,
    /// one failed item does not stop the others (<see cref="ErrorMode.Collect"/>), and every failure is reported
    /// with the item it belongs to. If the source itself throws, its exception is thrown as is once running items
    /// finish, or appended after the item failures in the <see cref="AggregateException"/> when items failed too.
    /// </remarks>
    public static Task ForEachConcurrentAsync<TSource>(
        this IEnumerable<TSource> source,
        Func<TSource, CancellationToken, Task> body,
        int maxConcurrency,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(body);
        Validate(maxConcurrency, ResultOrder.Completion, ErrorMode.Collect);
        return ForEachCoreAsync(source, null, body, maxConcurrency, ErrorMode.Collect, cancellationToken);
    }

    /// <summary>Runs <paramref name="body"/> for every item as <paramref name="options"/> say, and waits for all of them.</summary>
    /// <typeparam name="TSource">The type of the items.</typeparam>
    /// <param name="source">The items; enumerated lazily, one item per free slot.</param>
    /// <param name="body">The work to do per item; it receives the item and a token to honour.</param>
    /// <param name="options">The bound and the error mode (<see cref="ConcurrencyOptions.Order"/> does not apply: nothing is returned).</param>
    /// <param name="cancellationToken">Cancels the remaining work; the returned task then throws <see cref="OperationCanceledException"/> once running items have stopped.</param>
    /// <returns>A task that completes when every item has run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/>, <paramref name="body"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> holds an undefined error mode.</exception>
    /// <exception cref="AggregateException">In <see cref="ErrorMode.Collect"/> mode, one <see cref="ConcurrentItemException"/> per failed item, in input order.</exception>
    /// <remarks>
    /// In <see cref="ErrorMode.FailFast"/> mode the first failure cancels the items still running, waits for them
    /// to stop, and is thrown as is (not wrapped), like <see cref="Parallel.ForEachAsync{TSource}(IEnumerable{TSource}, ParallelOptions, Func{TSource, CancellationToken, ValueTask})"/>
    /// but without losing the original exception type.
    /// </remarks>
    public static Task ForEachConcurrentAsync<TSource>(
        this IEnumerable<TSource> source,
        Func<TSource, CancellationToken, Task> body,
        ConcurrencyOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options.MaxConcurrency, ResultOrder.Completion, options.Errors);
        return ForEachCoreAsync(source, null, body, options.MaxConcurrency, options.Errors, cancellationToken);
    }

    /// <summary>Runs <paramref name="body"/> for every item of an async sequence with at most <paramref name="maxConcurrency"/> in flight, and waits for all of them.</summary>
    /// <typeparam name="TSource">The type of the items.</typeparam>
    /// <param name="source">The items; pulled lazily, one item per free slot, with a token that is cancelled when the work stops early.</param>
    /// <param name="body">The work to do per item; it receives the item and a token to honour.</param>
    /// <param name="maxConcurrency">The most items running at once (at least 1).</param>
    /// <param name="cancellationToken">Cancels the remaining work; the returned task then throws <see cref="OperationCanceledException"/> once running items have stopped.</param>
    /// <returns>A task that completes when every item has run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> or <paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrency"/> is less than 1.</exception>
    /// <exception cref="AggregateException">One <see cref="ConcurrentItemException"/> per failed item, in input order.</exception>
    /// <remarks>Errors behave as in the <see cref="IEnumerable{T}"/> overload.</remarks>
    public static Task ForEachConcurrentAsync<TSource>(
        this IAsyncEnumerable<TSource> source,
        Func<TSource, CancellationToken, Task> body,
        int maxConcurrency,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(body);
        Validate(maxConcurrency, ResultOrder.Completion, ErrorMode.Collect);
        return ForEachCoreAsync(null, source, body, maxConcurrency, ErrorMode.Collect, cancellationToken);
    }

    /// <summary>Runs <paramref name="body"/> for every item of an async sequence as <paramref name="options"/> say, and waits for all of them.</summary>
    /// <typeparam name="TSource">The type of the items.</typeparam>
    /// <param name="source">The items; pulled lazily, one item per free slot, with a token that is cancelled when the work stops early.</param>
    /// <param name="body">The work to do per item; it receives the item and a token to honour.</param>
    /// <param name="options">The bound and the error mode (<see cref="ConcurrencyOptions.Order"/> does not apply: nothing is returned).</param>
    /// <param name="cancellationToken">Cancels the remaining work; the returned task then throws <see cref="OperationCanceledException"/> once running items have stopped.</param>
    /// <returns>A task that completes when every item has run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/>, <paramref name="body"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="options"/> holds an undefined error mode.</exception>
    /// <exception cref="AggregateException">In <see cref="ErrorMode.Collect"/> mode, one <see cref="ConcurrentItemException"/> per failed item, in input order.</exception>
    /// <remarks>Errors behave as in the <see cref="IEnumerable{T}"/> overload that takes <see cref="ConcurrencyOptions"/>.</remarks>
    public static Task ForEachConcurrentAsync<TSource>(
        this IAsyncEnumerable<TSource> source,
        Func<TSource, CancellationToken, Task> body,
        ConcurrencyOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options.MaxConcurrency, ResultOrder.Completion, options.Errors);
        return ForEachCoreAsync(null, source, body, options.MaxConcurrency, options.Errors, cancellationToken);
    }

    /// <summary>Drives the select engine in sink mode: a finished item frees its slot at once and only failures are kept.</summary>
    private static async Task ForEachCoreAsync<TSource>(
        IEnumerable<TSource>? source,
        IAsyncEnumerable<TSource>? asyncSource,
        Func<TSource, CancellationToken, Task> body,
        int maxConcurrency,
        ErrorMode errors,
        CancellationToken cancellationToken)
    {
        var run = ConcurrentRun<TSource, NoValue>.ForEach(source, asyncSource, body, maxConcurrency, errors, cancellationToken);
        try
        {
            while (await run.MoveNextAsync().ConfigureAwait(false))
            {
                // Sink mode yields no items; MoveNextAsync returns once, at the end.
            }
        }
        finally
        {
            await run.DisposeAsync().ConfigureAwait(false);
        }
        var failures = run.Failures;
        var sourceError = run.SourceError;
        if (failures is null)
        {
            sourceError?.Throw();
            return;
        }
        if (sourceError is not null)
            throw new AggregateException([.. failures, sourceError.SourceException]);
        throw new AggregateException(failures);
    }
}
