using System.Numerics;

namespace Salvo.Caching;

/// <summary>
/// One upstream call that identical calls share (single flight), registered in a <see cref="FlightRegistry"/> under its key.
/// The call that registers it — the leader — makes the upstream call itself, on its own request and token; a caller that
/// finds it running waits for its <see cref="FlightResult"/> instead of calling too.
/// </summary>
/// <remarks>
/// A flight is reused once it has ended (the registry pools a few), so a miss allocates nothing to coalesce: the key is
/// copied into a buffer the flight keeps, and the waiters' completion source is made only when a first waiter joins.
/// Every member is called under the registry's lock; a waiter keeps only its task, never the flight.
/// </remarks>
internal sealed class Flight
{
    /// <summary>Key buffers up to this length are kept when the flight goes back to the pool.</summary>
    public const int MaxPooledKeyLength = 512;

    private char[] _key = [];
    private int _length;
    private TaskCompletionSource<FlightResult>? _waiters;

    /// <summary>The flight key: the cache key plus the negotiation headers (see <see cref="CacheKeys.TryFormatFlightKey"/>).</summary>
    public ReadOnlySpan<char> Key => _key.AsSpan(0, _length);

    /// <summary>Whether the flight is small enough to be pooled when it ends.</summary>
    public bool Poolable => _key.Length <= MaxPooledKeyLength;

    /// <summary>Takes a key for a new run (only while the flight is in no registry).</summary>
    public void Start(ReadOnlySpan<char> key)
    {
        if (_key.Length < key.Length)
            _key = new char[Math.Max(64, (int)BitOperations.RoundUpToPowerOf2((uint)key.Length))];
        key.CopyTo(_key);
        _length = key.Length;
    }

    /// <summary>A caller joins: the task its answer comes from.</summary>
    public Task<FlightResult> Join() =>
        (_waiters ??= new TaskCompletionSource<FlightResult>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Ends the run: the waiters' completion source (<see langword="null"/> when nobody joined), which the leader completes.</summary>
    public TaskCompletionSource<FlightResult>? End()
    {
        var waiters = _waiters;
        _waiters = null;
        _length = 0;
        return waiters;
    }
}

/// <summary>
/// What a flight produced. <see cref="Entry"/> is what waiters build their own responses from (<see langword="null"/> when
/// the answer cannot be shared: too large, or of unknown length and not stored); <see cref="Response"/> is the upstream
/// response itself, which only the leader gets (so it keeps <c>Set-Cookie</c> and everything the cache does not store).
/// <see cref="Kind"/> says how it was obtained, for the counters.
/// </summary>
internal readonly record struct FlightResult(CacheEntry? Entry, HttpResponseMessage? Response, FlightKind Kind)
{
    /// <summary>The leader's own call ended (its caller cancelled or its budget ran out) before an answer: waiters try again.</summary>
    public static FlightResult Abandoned => new(null, null, FlightKind.Abandoned);

    /// <summary>For <see cref="FlightKind.AlreadyFresh"/>: whether the entry was found in memory (else in the persistent store).</summary>
    public bool FromMemory { get; init; }

    /// <summary>The same result without the leader's response, as waiters see it.</summary>
    public FlightResult Shared => this with { Response = null };
}

internal enum FlightKind
{
    Fetched,
    Revalidated,
    Stale,
    AlreadyFresh,
    Abandoned,
}
