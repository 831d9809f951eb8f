namespace Salvo.Caching;

/// <summary>
/// The flights running now, by key, behind one lock; looked up by a key formatted on the caller's stack, so neither a
/// lookup nor a registration allocates a key string. Ended flights go back to a small pool.
/// </summary>
/// <remarks>What it holds is O(calls in flight), plus at most <see cref="PoolSize"/> idle flights.</remarks>
internal sealed class FlightRegistry
{
    /// <summary>Idle flights kept for reuse.</summary>
    public const int PoolSize = 64;

    private readonly HashSet<Flight> _running = new(KeyComparer.Instance);
    private readonly HashSet<Flight>.AlternateLookup<ReadOnlySpan<char>> _byKey;
    private readonly Stack<Flight> _idle = new();
    private readonly Lock _gate = new();

    public FlightRegistry() => _byKey = _running.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Flights running now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _running.Count;
        }
    }

    /// <summary>
    /// Joins the flight running for <paramref name="key"/> — returns <see langword="null"/> and, in <paramref name="joined"/>,
    /// the task its result comes from (<see langword="null"/> too when <paramref name="join"/> is off: a background refresh
    /// joins nobody) — or, when none runs, registers a new one and returns it: the caller leads it and must
    /// <see cref="Close"/> it exactly once.
    /// </summary>
    public Flight? JoinOrLead(ReadOnlySpan<char> key, bool join, out Task<FlightResult>? joined)
    {
        lock (_gate)
        {
            if (_byKey.TryGetValue(key, out var running))
            {
                joined = join ? running.Join() : null;
                return null;
            }
            joined = null;
            var flight = _idle.Count > 0 ? _idle.Pop() : new Flight();
            flight.Start(key);
            _running.Add(flight);
            return flight;
        }
    }

    /// <summary>
    /// Ends a flight: from now on nobody can join it. Returns its waiters' completion source, for the leader to complete
    /// outside the lock, or <see langword="null"/> when nobody joined. The flight itself must not be used again.
    /// </summary>
    public TaskCompletionSource<FlightResult>? Close(Flight flight)
    {
        lock (_gate)
        {
            _running.Remove(flight);
            var waiters = flight.End();
            if (flight.Poolable && _idle.Count < PoolSize)
                _idle.Push(flight);
            return waiters;
        }
    }

    /// <summary>Flights compare by key, and a key span finds its flight without a string.</summary>
    private sealed class KeyComparer : IEqualityComparer<Flight>, IAlternateEqualityComparer<ReadOnlySpan<char>, Flight>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(Flight? x, Flight? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.Key.SequenceEqual(y.Key));

        public int GetHashCode(Flight obj) => string.GetHashCode(obj.Key);

        public bool Equals(ReadOnlySpan<char> alternate, Flight other) => alternate.SequenceEqual(other.Key);

        public int GetHashCode(ReadOnlySpan<char> alternate) => string.GetHashCode(alternate);

        public Flight Create(ReadOnlySpan<char> alternate)
        {
            var flight = new Flight();
            flight.Start(alternate);
            return flight;
        }
    }
}
