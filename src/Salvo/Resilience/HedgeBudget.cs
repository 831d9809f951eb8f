namespace Salvo.Resilience;

/// <summary>
/// Caps hedges at a share of calls over a sliding window (ten buckets, each a tenth of the window): a hedge is
/// allowed only while the hedges in the window, this one included, stay within the ratio of the calls in it.
/// </summary>
/// <remarks>
/// Like Finagle's retry budget, it earns hedges from traffic, so a slow host cannot be sent twice its load and a
/// cold start does not hedge at all until enough calls have been made (20 at 5%).
/// </remarks>
internal sealed class HedgeBudget
{
    private const int Buckets = 10;
    private readonly long[] _bucketIds = new long[Buckets];
    private readonly int[] _calls = new int[Buckets];
    private readonly int[] _hedges = new int[Buckets];
    private readonly double _ratio;
    private readonly long _bucketLength; // in timestamp units
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private int _waiting;

    public HedgeBudget(double ratio, TimeSpan window, TimeProvider timeProvider)
    {
        _ratio = ratio;
        _timeProvider = timeProvider;
        _bucketLength = Math.Max(1, (long)(window.TotalSeconds * timeProvider.TimestampFrequency / Buckets));
        Array.Fill(_bucketIds, long.MinValue);
    }

    /// <summary>Counts a hedgeable call.</summary>
    /// <param name="now">The call's start on the budget's clock, when the caller has read it; else it is read here.</param>
    public void OnCall(long? now = null)
    {
        lock (_gate)
            _calls[Current(out _, now)]++;
    }

    /// <summary>Whether a hedge would fit now, without taking it (to skip preparing one that cannot be sent).</summary>
    public bool HasRoom()
    {
        lock (_gate)
        {
            Current(out var id);
            return Fits(id);
        }
    }

    /// <summary>Calls refused a hedge and still waiting for their first attempt, which go first when room comes.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
                return _waiting;
        }
    }

    /// <summary>Takes a hedge from the budget if it fits.</summary>
    /// <param name="waited">
    /// Whether the call was refused before and still waits (see <see cref="BeginWait"/>). While any call waits, only
    /// waiting calls may take room: a call that has been slow the longest is the likeliest to stay slow, while most calls
    /// a hair past the hedge delay are about to answer.
    /// </param>
    public bool TryTake(bool waited = false)
    {
        lock (_gate)
        {
            var slot = Current(out var id);
            if ((!waited && _waiting > 0) || !Fits(id))
                return false;
            _hedges[slot]++;
            return true;
        }
    }

    /// <summary>A call was refused and keeps waiting for room (call <see cref="EndWait"/> exactly once when it stops).</summary>
    public void BeginWait()
    {
        lock (_gate)
            _waiting++;
    }

    /// <summary>A waiting call got its hedge, answered, or ended.</summary>
    public void EndWait()
    {
        lock (_gate)
            _waiting--;
    }

    private bool Fits(long id)
    {
        long calls = 0, hedges = 0;
        for (var i = 0; i < Buckets; i++)
        {
            if (_bucketIds[i] > id - Buckets)
            {
                calls += _calls[i];
                hedges += _hedges[i];
            }
        }
        // The tolerance keeps products like 0.05 × 60 from landing a hair under a whole hedge.
        return hedges + 1 <= (_ratio * calls) + 1e-9;
    }

    /// <summary>The slot of the current bucket, cleared if it last held an older bucket.</summary>
    private int Current(out long id, long? now = null)
    {
        id = (now ?? _timeProvider.GetTimestamp()) / _bucketLength;
        var slot = (int)(id % Buckets);
        if (_bucketIds[slot] != id)
        {
            _bucketIds[slot] = id;
            _calls[slot] = 0;
            _hedges[slot] = 0;
        }
        return slot;
    }
}
