using System.Numerics;

namespace Salvo.Telemetry;

/// <summary>
/// A lock-free latency histogram with fixed memory (16 KB) and about 3% relative error, for percentiles
/// over any number of samples.
/// </summary>
/// <remarks>
/// Values are microseconds bucketed log-linearly, like HdrHistogram: each power of two is split into 32
/// sub-buckets, so the bucket index comes from the position of the leading bit and the next five bits.
/// Recording is one <see cref="Interlocked.Increment(ref long)"/>; no sample is ever stored.
/// </remarks>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 5;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int BucketCount = 64 * SubBuckets;

    private readonly long[] _counts = new long[BucketCount];
    private long _count;
    private long _sumMicros;
    private long _maxMicros;

    /// <summary>How many values were recorded.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Records one duration; negative durations count as zero.</summary>
    /// <param name="duration">The duration.</param>
    public void Record(TimeSpan duration)
    {
        var micros = Math.Max(0, duration.Ticks / 10);
        Interlocked.Increment(ref _counts[IndexOf(micros)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumMicros, micros);
        var max = Volatile.Read(ref _maxMicros);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxMicros, micros, max);
            if (seen == max)
                break;
            max = seen;
        }
    }

    /// <summary>The mean of the recorded values, or zero when there are none.</summary>
    public TimeSpan Mean => Count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Volatile.Read(ref _sumMicros) * 10 / Count);

    /// <summary>The largest recorded value.</summary>
    public TimeSpan Max => TimeSpan.FromTicks(Volatile.Read(ref _maxMicros) * 10);

    /// <summary>The value below which <paramref name="percentile"/> percent of the recorded values fall.</summary>
    /// <param name="percentile">Between 0 and 100, e.g. 99 for p99.</param>
    /// <returns>The estimate (the middle of its bucket, at most the maximum), or zero when there are no values.</returns>
    public TimeSpan GetPercentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var total = Count;
        if (total == 0)
            return TimeSpan.Zero;
        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * total));
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                var (low, high) = BoundsOf(i);
                var mid = low + ((high - low) / 2);
                return TimeSpan.FromTicks(Math.Min(mid, Volatile.Read(ref _maxMicros)) * 10);
            }
        }
        return Max;
    }

    /// <summary>Forgets every recorded value.</summary>
    public void Reset()
    {
        Array.Clear(_counts);
        Volatile.Write(ref _count, 0);
        Volatile.Write(ref _sumMicros, 0);
        Volatile.Write(ref _maxMicros, 0);
    }

    internal static int IndexOf(long micros)
    {
        if (micros < SubBuckets)
            return (int)micros;
        var top = 63 - BitOperations.LeadingZeroCount((ulong)micros); // >= SubBucketBits
        var sub = (int)(micros >> (top - SubBucketBits)) & (SubBuckets - 1);
        return ((top - SubBucketBits + 1) * SubBuckets) + sub;
    }

    internal static (long Low, long High) BoundsOf(int index)
    {
        if (index < SubBuckets)
            return (index, index);
        var top = (index / SubBuckets) + SubBucketBits - 1;
        var sub = index % SubBuckets;
        var width = 1L << (top - SubBucketBits);
        var low = (1L << top) + (sub * width);
        return (low, low + width - 1);
    }
}
