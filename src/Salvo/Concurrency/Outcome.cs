using System.Diagnostics.CodeAnalysis;

namespace Salvo.Concurrency;

/// <summary>The end of one task of a <see cref="TaskGroup{T}"/>: its value, or the exception it failed with.</summary>
/// <typeparam name="T">The type of the task's value.</typeparam>
/// <remarks>
/// A struct so that settling thousands of tasks allocates nothing per task beyond the task itself.
/// <c>default(Outcome&lt;T&gt;)</c> is a success with the default value, like a completed
/// <c>default(ValueTask&lt;T&gt;)</c>.
/// </remarks>
public readonly struct Outcome<T>
{
    private readonly T _value;

    internal Outcome(int index, T value)
    {
        Index = index;
        _value = value;
        Error = null;
    }

    internal Outcome(int index, Exception error)
    {
        Index = index;
        _value = default!;
        Error = error;
    }

    /// <summary>The position of the task in submission order, starting at 0.</summary>
    public int Index { get; }

    /// <summary><see langword="true"/> when the task produced a value; <see langword="false"/> when it failed.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value the task produced.</summary>
    /// <exception cref="InvalidOperationException">The task failed; the exception's inner exception is <see cref="Error"/>.</exception>
    public T Value => Error is null ? _value : throw new InvalidOperationException("The item failed; see Error.", Error);

    /// <summary>The exception the task failed with (an <see cref="OperationCanceledException"/> when it was cancelled), or <see langword="null"/> on success.</summary>
    public Exception? Error { get; }

    /// <summary>Gets the value without throwing.</summary>
    /// <param name="value">The value on success; the default value otherwise.</param>
    /// <returns><see langword="true"/> when the task succeeded.</returns>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value;
        return Error is null;
    }

    /// <summary>Describes the outcome for logs and the debugger; the value is left out as it may hold secrets.</summary>
    /// <returns><c>#index ok</c> or <c>#index failed: ExceptionType: message</c>.</returns>
    public override string ToString() =>
        Error is null ? $"#{Index} ok" : $"#{Index} failed: {Error.GetType().Name}: {Error.Message}";
}
