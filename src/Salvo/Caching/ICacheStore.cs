namespace Salvo.Caching;

/// <summary>
/// Where cache entries live: <see cref="MemoryCacheStore"/> (memory), <see cref="SqliteCacheStore"/> (a file that survives
/// restarts), or your own — a Redis store implements the same five calls (<see cref="CacheEntrySerializer"/> gives the bytes).
/// </summary>
/// <remarks>
/// A store may throw: the cache catches it, logs a warning, and switches that store off for
/// <see cref="CacheOptions.StoreRecoveryDelay"/>, so a broken store never fails a request. Stores do not judge freshness;
/// the cache does, on its own clock.
/// </remarks>
public interface ICacheStore
{
    /// <summary>Gets an entry.</summary>
    /// <param name="key">The entry's <see cref="CacheEntry.Key"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    ValueTask<CacheEntry?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces an entry under its <see cref="CacheEntry.Key"/>.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the entry is stored (or dropped to respect the store's bound).</returns>
    ValueTask SetAsync(CacheEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry whose <see cref="CacheEntry.Resource"/> starts with a prefix (equal to it, when <paramref name="exact"/>).</summary>
    /// <param name="resourcePrefix">The normalised URL or URL prefix.</param>
    /// <param name="exact">Whether only entries of exactly this resource go.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when they are gone.</returns>
    ValueTask RemoveResourceAsync(string resourcePrefix, bool exact, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry carrying a tag.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when they are gone.</returns>
    ValueTask RemoveTagAsync(string tag, CancellationToken cancellationToken = default);

    /// <summary>Removes one entry.</summary>
    /// <param name="key">The entry's key.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when it is gone.</returns>
    ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default);
}
