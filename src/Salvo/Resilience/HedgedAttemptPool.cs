namespace Salvo.Resilience;

/// <summary>
/// The attempts a <see cref="HedgingHandler"/> reuses: a few slots taken and filled with one compare-and-swap each, so
/// renting costs no lock and no allocation once the pool is warm. Bounded: past <see cref="Size"/> attempts in flight at
/// once, attempts are made and dropped, so memory stays bounded by the slots whatever the concurrency.
/// </summary>
internal sealed class HedgedAttemptPool(TimeProvider timeProvider)
{
    /// <summary>The most attempts kept: enough for every attempt in flight at ordinary concurrency.</summary>
    public const int Size = 64;

    private readonly HedgedAttempt?[] _slots = new HedgedAttempt?[Size];
    private volatile bool _disposed;

    public HedgedAttempt Rent()
    {
        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
        {
            var attempt = Volatile.Read(ref slots[i]);
            if (attempt is not null && ReferenceEquals(Interlocked.CompareExchange(ref slots[i], null, attempt), attempt))
                return attempt;
        }
        return new HedgedAttempt(this, timeProvider);
    }

    public void Return(HedgedAttempt attempt)
    {
        if (!_disposed)
        {
            var slots = _slots;
            for (var i = 0; i < slots.Length; i++)
            {
                if (Interlocked.CompareExchange(ref slots[i], attempt, null) is null)
                    return;
            }
        }
        attempt.Dispose();
    }

    /// <summary>Releases the attempts kept; ones still in flight are released as they come back.</summary>
    public void Dispose()
    {
        _disposed = true;
        for (var i = 0; i < _slots.Length; i++)
            Interlocked.Exchange(ref _slots[i], null)?.Dispose();
    }
}
