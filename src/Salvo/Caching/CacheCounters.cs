namespace Salvo.Caching;

/// <summary>What a <see cref="ResponseCache"/> has done since it was created. Safe to read at any time from any thread.</summary>
/// <remarks>The same counts go to the <c>Salvo</c> meter (see <see cref="CacheMetrics"/>).</remarks>
public sealed class CacheCounters
{
    private long _memoryHits;
    private long _storeHits;
    private long _misses;
    private long _revalidated;
    private long _coalesced;
    private long _stale;
    private long _bytesSaved;
    private long _stored;
    private long _storeFailures;
    private long _earlyRefreshes;

    /// <summary>Calls answered from the cache while fresh (memory and persistent tier), no upstream call made.</summary>
    public long Hits => MemoryHits + StoreHits;

    /// <summary>Fresh hits answered from the memory tier.</summary>
    public long MemoryHits => Volatile.Read(ref _memoryHits);

    /// <summary>Fresh hits answered from the persistent tier (SQLite or a custom store).</summary>
    public long StoreHits => Volatile.Read(ref _storeHits);

    /// <summary>Calls that went upstream for a full answer (nothing usable stored).</summary>
    public long Misses => Volatile.Read(ref _misses);

    /// <summary>Conditional calls the server answered 304 Not Modified: the stored body was refreshed without being sent again.</summary>
    public long Revalidated => Volatile.Read(ref _revalidated);

    /// <summary>Calls that waited for an identical call already in flight instead of making their own (single flight).</summary>
    public long Coalesced => Volatile.Read(ref _coalesced);

    /// <summary>Calls answered with a stale entry (stale-while-revalidate, or stale-if-error after a failure).</summary>
    public long StaleServed => Volatile.Read(ref _stale);

    /// <summary>Body bytes the server did not have to send: hits, stale answers, 304s and coalesced waits.</summary>
    public long BytesSaved => Volatile.Read(ref _bytesSaved);

    /// <summary>Answers written to the cache.</summary>
    public long Stored => Volatile.Read(ref _stored);

    /// <summary>Times a store failed and was switched off for a while.</summary>
    public long StoreFailures => Volatile.Read(ref _storeFailures);

    /// <summary>Background refreshes started early by XFetch or for stale-while-revalidate.</summary>
    public long BackgroundRefreshes => Volatile.Read(ref _earlyRefreshes);

    internal void OnHit(bool memory, int bytes)
    {
        Interlocked.Increment(ref memory ? ref _memoryHits : ref _storeHits);
        Saved(bytes);
        CacheInstruments.Hit(memory);
    }

    internal void OnMiss()
    {
        Interlocked.Increment(ref _misses);
        CacheInstruments.Miss();
    }

    internal void OnRevalidated(int bytes)
    {
        Interlocked.Increment(ref _revalidated);
        Saved(bytes);
        CacheInstruments.Revalidated();
    }

    internal void OnCoalesced()
    {
        Interlocked.Increment(ref _coalesced);
        CacheInstruments.Coalesced();
    }

    internal void OnSaved(int bytes) => Saved(bytes);

    internal void OnStale(int bytes)
    {
        Interlocked.Increment(ref _stale);
        Saved(bytes);
        CacheInstruments.Stale();
    }

    internal void OnStored() => Interlocked.Increment(ref _stored);

    internal void OnStoreFailure() => Interlocked.Increment(ref _storeFailures);

    internal void OnBackgroundRefresh() => Interlocked.Increment(ref _earlyRefreshes);

    private void Saved(int bytes)
    {
        if (bytes <= 0)
            return;
        Interlocked.Add(ref _bytesSaved, bytes);
        CacheInstruments.BytesSaved(bytes);
    }
}
