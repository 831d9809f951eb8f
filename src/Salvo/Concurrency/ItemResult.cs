using System.Diagnostics.CodeAnalysis;

namespace Salvo.Concurrency;

/// <summary>The end of one item of a fan-out: the item, where it was in the input, and its value or error.</summary>
/// <typeparam name="TSource">The type of the input items.</typeparam>
/// <typeparam name="TResult">The type of the selector's value.</typeparam>
/// <remarks>
/// Failures come back as data rather than exceptions so that one bad item does not end the stream
/// (<see cref="ErrorMode.Collect"/>); the item rides along so a caller can retry or report it without
/// keeping its own index-to-item map. A struct, so streaming a million results allocates nothing per result.
/// </remarks>
public readonly struct ItemResult<TSource, TResult>
{
    private readonly TResult _value;

    internal ItemResult(int index, TSource item, TResult value)
    {
        Index = index;
        Item = item;
        _value = value;
        Error = null;
    }

    internal ItemResult(int index, TSource item, Exception error)
    {
        Index = index;
        Item = item;
        _value = default!;
        Error = error;
    }

    /// <summary>The position of the item in the input, starting at 0.</summary>
    public int Index { get; }

    /// <summary>The input item this result belongs to.</summary>
    public TSource Item { get; }

    /// <summary><see langword="true"/> when the selector produced a value; <see langword="false"/> when it failed.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value the selector produced for <see cref="Item"/>.</summary>
    /// <exception cref="InvalidOperationException">The item failed; the exception's inner exception is <see cref="Error"/>.</exception>
    public TResult Value => Error is null ? _value : throw new InvalidOperationException("The item failed; see Error.", Error);

    /// <summary>The exception the selector failed with, or <see langword="null"/> on success.</summary>
    public Exception? Error { get; }

    /// <summary>Gets the value without throwing.</summary>
    /// <param name="value">The value on success; the default value otherwise.</param>
    /// <returns><see langword="true"/> when the item succeeded.</returns>
    public bool TryGetValue([MaybeNullWhen(false)] out TResult value)
    {
        value = _value;
        return Error is null;
    }

    /// <summary>Describes the result for logs and the debugger; the item itself is left out as it may hold secrets.</summary>
    /// <returns><c>#index ok</c> or <c>#index failed: ExceptionType: message</c>.</returns>
    public override string ToString() =>
        Error is null ? $"#{Index} ok" : $"#{Index} failed: {Error.GetType().Name}: {Error.Message}";
}
