using Microsoft.Extensions.Caching.Memory;

namespace Salvo.Caching;

/// <summary>
/// The memory tier: a <see cref="MemoryCache"/> bounded by bytes (each entry's <see cref="CacheEntry.Size"/>); when full,
/// new entries are refused while it compacts, least recently used first.
/// </summary>
/// <remarks>Reads are lock-free and allocate nothing. Freshness is judged by the cache on its own clock, so entries carry no expiry here.</remarks>
public sealed class MemoryCacheStore : ICacheStore, IDisposable
{
    private readonly MemoryCache _cache;

    /// <summary>Creates the store.</summary>
    /// <param name="maxBytes">The bound, in bytes (at least 1).</param>
    public MemoryCacheStore(long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = maxBytes, CompactionPercentage = 0.25 });
    }

    /// <summary>The number of entries held now.</summary>
    public int Count => _cache.Count;

    /// <inheritdoc />
    public ValueTask<CacheEntry?> GetAsync(string key, CancellationToken cancellationToken = default) => new(Get(key));

    /// <summary>Gets an entry synchronously.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    public CacheEntry? Get(string key) => _cache.TryGetValue(key, out var value) ? value as CacheEntry : null;

    /// <summary>Gets an entry by a key held in a span, so a lookup needs no key string.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    public CacheEntry? Get(ReadOnlySpan<char> key) => _cache.TryGetValue(key, out var value) ? value as CacheEntry : null;

    /// <inheritdoc />
    public ValueTask SetAsync(CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using (var item = _cache.CreateEntry(entry.Key))
        {
            item.Size = entry.Size;
            item.Value = entry;
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        _cache.Remove(key);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemoveResourceAsync(string resourcePrefix, bool exact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resourcePrefix);
        RemoveWhere(e => exact ? e.Resource == resourcePrefix : e.Resource.StartsWith(resourcePrefix, StringComparison.Ordinal));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemoveTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        RemoveWhere(e => e.Tags.Contains(tag));
        return ValueTask.CompletedTask;
    }

    /// <summary>Drops every entry.</summary>
    public void Dispose() => _cache.Dispose();

    // Invalidation is rare and the store is bounded, so a scan is fine; a tag index would tax every write instead.
    private void RemoveWhere(Func<CacheEntry, bool> match)
    {
        foreach (var key in _cache.Keys.ToArray())
        {
            if (_cache.TryGetValue(key, out var value) && value is CacheEntry entry && match(entry))
                _cache.Remove(key);
        }
    }
}
