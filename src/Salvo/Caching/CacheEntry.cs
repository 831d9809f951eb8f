namespace Salvo.Caching;

/// <summary>
/// One stored answer, as a store keeps it: status, headers, body, and when it stops being fresh. Immutable; a
/// revalidation stores a new one. <see cref="CacheEntrySerializer"/> turns it into bytes for stores that need them.
/// </summary>
/// <remarks>
/// Times are on the cache's <see cref="TimeProvider"/>. An entry with <see cref="IsVaryIndex"/> holds no answer: it says
/// which request headers (<see cref="VaryHeaders"/>) select the variant stored under another key.
/// </remarks>
public sealed record CacheEntry
{
    /// <summary>The key: method, normalised URL, and the caller's identity hash (plus the variant's hash under <c>Vary</c>). Never a credential.</summary>
    public required string Key { get; init; }

    /// <summary>The normalised URL the answer belongs to, for invalidation by URL and by prefix.</summary>
    public required string Resource { get; init; }

    /// <summary>Tags, for invalidation by tag.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The status code.</summary>
    public int StatusCode { get; init; }

    /// <summary>The response headers (no hop-by-hop headers, no <c>Set-Cookie</c>), one raw value per name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The content headers, one raw value per name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ContentHeaders { get; init; } = [];

    /// <summary>The body.</summary>
    public byte[] Body { get; init; } = [];

    /// <summary>When the answer was received.</summary>
    public DateTimeOffset StoredAt { get; init; }

    /// <summary>Until when the answer is fresh (served without asking the server).</summary>
    public DateTimeOffset FreshUntil { get; init; }

    /// <summary>How long past <see cref="FreshUntil"/> it may be served while it is refreshed in the background.</summary>
    public TimeSpan StaleWhileRevalidate { get; init; }

    /// <summary>How long past <see cref="FreshUntil"/> it may be served when the upstream call fails.</summary>
    public TimeSpan StaleIfError { get; init; }

    /// <summary>Whether the server forbade serving it stale (<c>must-revalidate</c>).</summary>
    public bool MustRevalidate { get; init; }

    /// <summary>The entity tag, for <c>If-None-Match</c>.</summary>
    public string? ETag { get; init; }

    /// <summary>The raw <c>Last-Modified</c> value, for <c>If-Modified-Since</c>.</summary>
    public string? LastModified { get; init; }

    /// <summary>The request headers named by the answer's <c>Vary</c>, or <see langword="null"/> when it has none.</summary>
    public IReadOnlyList<string>? VaryHeaders { get; init; }

    /// <summary>Whether this entry only points at variants (see <see cref="VaryHeaders"/>).</summary>
    public bool IsVaryIndex { get; init; }

    /// <summary>How long the upstream call took, which scales the probabilistic early refresh.</summary>
    public TimeSpan FetchDuration { get; init; }

    /// <summary>Whether the answer can be revalidated with a conditional request.</summary>
    public bool HasValidators => ETag is not null || LastModified is not null;

    /// <summary>After this moment the entry is of no use (not fresh, not servable stale, nothing to revalidate with); <see langword="null"/> when it has validators.</summary>
    public DateTimeOffset? UselessAfter =>
        HasValidators || IsVaryIndex ? null : FreshUntil + (StaleWhileRevalidate > StaleIfError ? StaleWhileRevalidate : StaleIfError);

    /// <summary>The approximate bytes it takes in memory: body, headers and key.</summary>
    public long Size
    {
        get
        {
            long size = 256 + Body.Length + (Key.Length + Resource.Length) * 2L;
            foreach (var h in Headers)
                size += (h.Key.Length + h.Value.Length) * 2L + 32;
            foreach (var h in ContentHeaders)
                size += (h.Key.Length + h.Value.Length) * 2L + 32;
            return size;
        }
    }
}
