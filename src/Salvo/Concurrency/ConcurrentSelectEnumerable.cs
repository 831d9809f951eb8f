namespace Salvo.Concurrency;

/// <summary>The lazy sequence returned by <c>SelectConcurrentAsync</c>: each enumeration is a fresh run over the source.</summary>
internal sealed class ConcurrentSelectEnumerable<TSource, TResult>(
    IEnumerable<TSource>? source,
    IAsyncEnumerable<TSource>? asyncSource,
    Func<TSource, CancellationToken, Task<TResult>> selector,
    int maxConcurrency,
    ResultOrder order,
    ErrorMode errors,
    CancellationToken callerToken) : IAsyncEnumerable<ItemResult<TSource, TResult>>
{
    /// <inheritdoc />
    public IAsyncEnumerator<ItemResult<TSource, TResult>> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        ConcurrentRun<TSource, TResult>.ForSelect(source, asyncSource, selector, maxConcurrency, order, errors, callerToken, cancellationToken);
}
