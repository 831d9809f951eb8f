namespace Salvo.Caching;

/// <summary>How one call uses the response cache; set it with <see cref="SalvoRequestSettings.Cache"/>.</summary>
/// <remarks>
/// A request's own <c>Cache-Control</c> header does the same in HTTP terms: <c>no-store</c> is
/// <see cref="Bypass"/>, <c>no-cache</c> or <c>max-age=0</c> is <see cref="Refresh"/>.
/// </remarks>
public enum CacheMode
{
    /// <summary>As the cache's rules and the server's headers say: fresh hits served, misses fetched and stored.</summary>
    Default = 0,

    /// <summary>The cache is not read or written, and the call is not coalesced with others: it goes upstream as if there were no cache.</summary>
    Bypass = 1,

    /// <summary>The stored answer is not used: the call goes upstream, and its answer replaces the stored one (force refresh).</summary>
    Refresh = 2,
}
