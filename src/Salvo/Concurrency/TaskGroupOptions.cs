namespace Salvo.Concurrency;

/// <summary>How a <see cref="TaskGroup{T}"/> limits its tasks and treats their failures.</summary>
public sealed class TaskGroupOptions
{
    private int? _maxConcurrency;

    /// <summary>
    /// The most tasks running at once, or <see langword="null"/> for no limit. When the limit is reached,
    /// <see cref="TaskGroup{T}.StartAsync"/> waits for a running task to finish before it starts another.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no limit).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? MaxConcurrency
    {
        get => _maxConcurrency;
        set
        {
            if (value is { } limit)
                ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(value));
            _maxConcurrency = value;
        }
    }

    /// <summary>What a failed task does to the rest of the group.</summary>
    /// <value>The default value is <see cref="ErrorMode.Collect"/>.</value>
    public ErrorMode Errors { get; set; } = ErrorMode.Collect;
}
