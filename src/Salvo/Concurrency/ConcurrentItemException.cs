using System.Net;

namespace Salvo.Concurrency;

/// <summary>
/// One failed item of <see cref="ConcurrentEnumerable.ForEachConcurrentAsync{TSource}(IEnumerable{TSource}, Func{TSource, CancellationToken, Task}, ConcurrencyOptions, CancellationToken)"/>
/// in <see cref="ErrorMode.Collect"/> mode. <see cref="Exception.InnerException"/> is the original error.
/// </summary>
/// <remarks>
/// The wrapper exists so that each failure in the <see cref="AggregateException"/> says which item it belongs
/// to. When the original error is a <see cref="SalvoException"/>, its call context, status code,
/// <c>Retry-After</c> and transience are passed through, so retry logic can look at this exception directly.
/// </remarks>
public sealed class ConcurrentItemException : SalvoException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="index">The position of the failed item in the input, starting at 0.</param>
    /// <param name="item">The failed item.</param>
    /// <param name="innerException">The error the item failed with.</param>
    public ConcurrentItemException(int index, object? item, Exception innerException)
        : base(BuildMessage(index, innerException), innerException, ContextOf(innerException))
    {
        Index = index;
        Item = item;
    }

    /// <summary>The position of the failed item in the input, starting at 0.</summary>
    public int Index { get; }

    /// <summary>The failed item.</summary>
    public object? Item { get; }

    /// <inheritdoc />
    public override HttpStatusCode? StatusCode => (InnerException as SalvoException)?.StatusCode;

    /// <inheritdoc />
    public override TimeSpan? RetryAfter => (InnerException as SalvoException)?.RetryAfter;

    /// <inheritdoc />
    public override bool IsTransient => InnerException is SalvoException { IsTransient: true };

    private static string BuildMessage(int index, Exception innerException)
    {
        ArgumentNullException.ThrowIfNull(innerException);
        return $"Item {index} failed: {innerException.Message}";
    }

    private static SalvoErrorContext? ContextOf(Exception innerException) =>
        innerException is SalvoException salvo ? new SalvoErrorContext(salvo.Method, salvo.Url, salvo.Attempts) : null;
}
