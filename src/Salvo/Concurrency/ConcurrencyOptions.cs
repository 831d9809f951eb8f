namespace Salvo.Concurrency;

/// <summary>How <see cref="ConcurrentEnumerable"/> runs a fan-out: how wide, in which order results come back, and what a failure does.</summary>
public sealed class ConcurrencyOptions
{
    /// <summary>The default <see cref="MaxConcurrency"/>.</summary>
    /// <value>The default value is 16.</value>
    /// <remarks>
    /// Wide enough to hide the latency of a typical API call, narrow enough not to trip most rate limits or
    /// exhaust a connection pool; the seeds' hand-rolled semaphores use 10 to 100.
    /// </remarks>
    public const int DefaultMaxConcurrency = 16;

    private int _maxConcurrency = DefaultMaxConcurrency;

    /// <summary>
    /// The most items in progress at once. An item is in progress from the moment it is pulled from the source
    /// until its result has been handed to the consumer, so this bounds both the calls in flight and the results
    /// waiting to be read.
    /// </summary>
    /// <value>The default value is 16.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxConcurrency
    {
        get => _maxConcurrency;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxConcurrency = value;
        }
    }

    /// <summary>The order in which results are handed back.</summary>
    /// <value>The default value is <see cref="ResultOrder.Completion"/>.</value>
    public ResultOrder Order { get; set; } = ResultOrder.Completion;

    /// <summary>What a failed item does to the rest of the fan-out.</summary>
    /// <value>The default value is <see cref="ErrorMode.Collect"/>.</value>
    public ErrorMode Errors { get; set; } = ErrorMode.Collect;
}
