namespace Salvo.RateLimiting;

/// <summary>
/// The completed requests a sliding window still holds, as (expiry, count) entries in expiry order. Entries closer
/// than a granularity are merged (keeping the later expiry), so the ring stays small whatever the limit: a window
/// holds at most about 64 entries, and a slot is freed at most 1/64 of the window late.
/// </summary>
/// <remarks>Not thread-safe: the partition's lock guards it.</remarks>
internal sealed class CompletionRing
{
    private long[] _expiries = new long[4];
    private int[] _counts = new int[4];
    private int _head;
    private int _size;

    /// <summary>The requests held by every entry.</summary>
    public int Held { get; private set; }

    /// <summary>How many entries there are.</summary>
    public int Count => _size;

    /// <summary>The expiry of the last entry, or 0 when empty.</summary>
    public long LastExpiry => _size == 0 ? 0 : _expiries[Index(_size - 1)];

    public long ExpiryAt(int i) => _expiries[Index(i)];

    public int CountAt(int i) => _counts[Index(i)];

    /// <summary>
    /// Adds completed requests. Expiries mostly arrive in order (read under one lock); one earlier than the last entry
    /// (a fixed window's late answer) joins the last entry, which only holds it longer.
    /// </summary>
    public void Add(long expiry, int permits, long granularity)
    {
        Held += permits;
        if (_size > 0)
        {
            var last = Index(_size - 1);
            if (expiry - _expiries[last] < granularity)
            {
                _expiries[last] = Math.Max(_expiries[last], expiry);
                _counts[last] += permits;
                return;
            }
        }
        if (_size == _expiries.Length)
            Grow();
        var at = Index(_size);
        _expiries[at] = expiry;
        _counts[at] = permits;
        _size++;
    }

    /// <summary>The requests held by entries that expire at or after <paramref name="expiry"/>.</summary>
    public int HeldFrom(long expiry)
    {
        var held = 0;
        for (var i = _size - 1; i >= 0 && _expiries[Index(i)] >= expiry; i--)
            held += _counts[Index(i)];
        return held;
    }

    /// <summary>Drops every entry whose expiry has come.</summary>
    public void Expire(long now)
    {
        while (_size > 0 && _expiries[_head] <= now)
        {
            Held -= _counts[_head];
            _head = (_head + 1) & (_expiries.Length - 1);
            _size--;
        }
    }

    private int Index(int i) => (_head + i) & (_expiries.Length - 1);

    private void Grow()
    {
        var expiries = new long[_expiries.Length * 2];
        var counts = new int[_counts.Length * 2];
        for (var i = 0; i < _size; i++)
        {
            expiries[i] = _expiries[Index(i)];
            counts[i] = _counts[Index(i)];
        }
        _expiries = expiries;
        _counts = counts;
        _head = 0;
    }
}
