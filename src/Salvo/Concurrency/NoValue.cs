namespace Salvo.Concurrency;

/// <summary>The result type of a fan-out whose body returns a plain <see cref="Task"/>.</summary>
/// <remarks>Lets <see cref="ConcurrentEnumerable.ForEachConcurrentAsync{TSource}(IEnumerable{TSource}, Func{TSource, CancellationToken, Task}, int, CancellationToken)"/> reuse the select engine without wrapping each task.</remarks>
internal readonly struct NoValue;
