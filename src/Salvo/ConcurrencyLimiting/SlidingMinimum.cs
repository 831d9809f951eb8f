namespace Salvo.ConcurrencyLimiting;

/// <summary>
/// The minimum of the durations added over a sliding time window, in constant memory: the window is cut into six buckets,
/// each keeping the minimum of its own slice of time, and a bucket older than the window is forgotten.
/// </summary>
/// <remarks>
/// The minimum covers between five sixths of the window and the whole of it, depending on where in the current bucket
/// <c>now</c> falls. That slack is the price of constant memory (a sorted deque would be exact but grow with the samples).
/// Times are offsets from an origin chosen by the caller, so any clock works.
/// </remarks>
internal sealed class SlidingMinimum
{
    private const int Buckets = 6;
    private readonly long _bucketTicks;
    private readonly long[] _epochs = new long[Buckets]; // bucket number + 1; 0 means empty
    private readonly TimeSpan[] _values = new TimeSpan[Buckets];

    public SlidingMinimum(TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _bucketTicks = Math.Max(1, window.Ticks / Buckets);
    }

    public void Add(TimeSpan value, TimeSpan now)
    {
        var epoch = Epoch(now);
        var slot = (int)(epoch % Buckets);
        if (_epochs[slot] != epoch || value < _values[slot])
        {
            _epochs[slot] = epoch;
            _values[slot] = value;
        }
    }

    /// <summary>Forgets every value added so far.</summary>
    public void Clear() => Array.Clear(_epochs);

    public TimeSpan? Minimum(TimeSpan now)
    {
        var epoch = Epoch(now);
        TimeSpan? minimum = null;
        for (var i = 0; i < Buckets; i++)
        {
            if (_epochs[i] != 0 && epoch - _epochs[i] < Buckets && (minimum is null || _values[i] < minimum))
                minimum = _values[i];
        }
        return minimum;
    }

    private long Epoch(TimeSpan now) => (now.Ticks / _bucketTicks) + 1;
}
