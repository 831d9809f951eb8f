using System.Collections.Concurrent;

namespace Salvo.Resilience;

/// <summary>
/// Per-origin state created on first use, in a map that never grows past a bound: a client that talks to
/// ever-new hosts (a crawler, user-supplied webhooks) must not grow its memory with every host it has seen.
/// </summary>
/// <remarks>
/// When the map is full, entries the owner says can go (<c>canEvict</c>: idle long enough that they hold
/// nothing worth keeping) are dropped. When none can go, a new host gets no entry — its calls pass through
/// unprotected — and the next sweep waits a second, so a flood of new hosts does not scan the map on every call.
/// </remarks>
internal sealed class HostMap<T>
    where T : class
{
    private static readonly TimeSpan SweepPause = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<HostKey, T> _entries = new();
    private readonly Lock _gate = new();
    private readonly int _capacity;
    private readonly Func<Uri, T> _create;
    private readonly Func<T, bool> _canEvict;
    private readonly TimeProvider _timeProvider;
    private long _nextSweep;

    public HostMap(int capacity, Func<Uri, T> create, Func<T, bool> canEvict, TimeProvider timeProvider)
    {
        _capacity = capacity;
        _create = create;
        _canEvict = canEvict;
        _timeProvider = timeProvider;
    }

    public int Count => _entries.Count;

    /// <summary>The entry for the request's origin, created on first use; <see langword="null"/> when the map is full.</summary>
    public T? Get(Uri uri)
    {
        var key = HostKey.Of(uri);
        return _entries.TryGetValue(key, out var entry) ? entry : Add(key, uri);
    }

    /// <summary>The entry for the origin if it has one; never creates one.</summary>
    public T? Find(Uri uri) => _entries.TryGetValue(HostKey.Of(uri), out var entry) ? entry : null;

    /// <param name="key">The origin.</param>
    /// <param name="uri">The first URL seen on the origin, from which the entry takes its name.</param>
    private T? Add(HostKey key, Uri uri)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
                return entry;
            if (_entries.Count >= _capacity && !Sweep())
                return null;
            entry = _create(uri);
            _entries[key] = entry;
            return entry;
        }
    }

    private bool Sweep()
    {
        var now = _timeProvider.GetTimestamp();
        if (now < _nextSweep)
            return false;
        foreach (var pair in _entries)
        {
            if (_canEvict(pair.Value))
                _entries.TryRemove(pair);
        }
        if (_entries.Count < _capacity)
            return true;
        _nextSweep = now + (long)(SweepPause.TotalSeconds * _timeProvider.TimestampFrequency);
        return false;
    }
}
