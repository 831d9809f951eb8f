namespace Salvo.Resilience;

/// <summary>
/// The last N successful latencies of one host and a percentile over them. The percentile is recomputed every
/// few samples, not on every read, so asking for it costs a field read.
/// </summary>
internal sealed class LatencyWindow
{
    private const int RefreshEvery = 8;
    private readonly long[] _samples; // TimeSpan ticks, a ring
    private readonly long[] _scratch;
    private readonly double _percentile;
    private readonly Lock _gate = new();
    private int _next;
    private int _count;
    private int _sinceRefresh;
    private long _percentileTicks = -1;

    public LatencyWindow(int size, double percentile)
    {
        _samples = new long[size];
        _scratch = new long[size];
        _percentile = percentile;
    }

    /// <summary>The percentile of the window, or <see langword="null"/> while it holds fewer than <see cref="HedgingOptions.MinimumSamples"/>.</summary>
    public TimeSpan? Percentile => Volatile.Read(ref _percentileTicks) is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

    public void Add(TimeSpan latency)
    {
        lock (_gate)
        {
            _samples[_next] = latency.Ticks;
            _next = (_next + 1) % _samples.Length;
            if (_count < _samples.Length)
                _count++;
            if (_count < HedgingOptions.MinimumSamples || (++_sinceRefresh < RefreshEvery && _percentileTicks >= 0))
                return;
            _sinceRefresh = 0;
            Array.Copy(_samples, _scratch, _count);
            // Nearest rank: the smallest sample with at least the percentile's share of samples at or below it. Selected,
            // not sorted: O(n) instead of O(n log n) per refresh, a share of which every hedged call pays.
            var rank = (int)Math.Ceiling(_percentile * _count);
            Volatile.Write(ref _percentileTicks, Select(_scratch.AsSpan(0, _count), Math.Clamp(rank - 1, 0, _count - 1)));
        }
    }

    /// <summary>The <paramref name="k"/>-th smallest value (from 0) of <paramref name="values"/>, which it reorders (Hoare's selection).</summary>
    internal static long Select(Span<long> values, int k)
    {
        var lo = 0;
        var hi = values.Length - 1;
        while (lo < hi)
        {
            var pivot = MedianOfThree(values[lo], values[lo + ((hi - lo) / 2)], values[hi]);
            var i = lo;
            var j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                    i++;
                while (values[j] > pivot)
                    j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j)
                hi = j;
            else if (k >= i)
                lo = i;
            else
                return values[k];
        }
        return values[k];
    }

    private static long MedianOfThree(long a, long b, long c) =>
        a < b ? (b < c ? b : Math.Max(a, c)) : (a < c ? a : Math.Max(b, c));
}
