using Microsoft.Extensions.Logging;

namespace Salvo.Caching;

/// <summary>
/// The response cache (pipeline stage 2, <see cref="Pipeline.PipelineStage.Cache"/>): per-route lifetimes, the server's
/// HTTP caching headers, stale serving, single flight and the stores. Read once, when the cache is created.
/// </summary>
/// <remarks>
/// <para>Off by default; adding a rule switches it on, so the seeds' case is the whole configuration:
/// <code>
/// options.Cache.Add("casino/games*", TimeSpan.FromMinutes(5));
/// options.Cache.Add("user/balance", TimeSpan.FromSeconds(10));
/// </code></para>
/// <para>Only GETs are cached. Answers are kept per caller: the key holds a hash of the request's credential headers
/// (<see cref="IdentityHeaders"/>) and of <see cref="Identity"/>, never the credential. See docs/caching.md.</para>
/// </remarks>
public sealed class CacheOptions
{
    /// <summary>The default <see cref="MemoryMaxBytes"/>.</summary>
    /// <value>The value is 64 MiB.</value>
    public const long DefaultMemoryMaxBytes = 64L * 1024 * 1024;

    /// <summary>The default <see cref="DatabaseMaxBytes"/>.</summary>
    /// <value>The value is 256 MiB.</value>
    public const long DefaultDatabaseMaxBytes = 256L * 1024 * 1024;

    /// <summary>The default <see cref="MaxEntryBytes"/>.</summary>
    /// <value>The value is 1 MiB.</value>
    public const long DefaultMaxEntryBytes = 1024 * 1024;

    /// <summary>The default <see cref="EarlyRefreshBeta"/>.</summary>
    /// <value>The value is 1.</value>
    public const double DefaultEarlyRefreshBeta = 1.0;

    /// <summary>The default <see cref="StoreRecoveryDelay"/>.</summary>
    /// <value>The value is 1 minute.</value>
    public static readonly TimeSpan DefaultStoreRecoveryDelay = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private ResponseCache? _cache;

    /// <summary>Whether responses are cached at all; <see cref="Add(string, TimeSpan, string[])"/> switches it on.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>The per-route lifetimes, first match wins. Adding to this list directly does not switch <see cref="Enabled"/> on.</summary>
    /// <value>The default value is an empty list.</value>
    public IList<CacheRule> Rules { get; } = new List<CacheRule>();

    /// <summary>
    /// Whether the server's headers decide for GETs no rule matches: <c>Cache-Control</c> (<c>max-age</c>, <c>no-store</c>,
    /// <c>no-cache</c>, <c>private</c>; <c>s-maxage</c> is ignored, this is a private cache), <c>Expires</c>, <c>Age</c>,
    /// validators and <c>Vary</c>. Answers with validators but no lifetime are kept to be revalidated.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseHttpSemantics { get; set; } = true;

    /// <summary>Whether identical GETs in flight at once share one upstream call (single flight), cacheable or not.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Coalesce { get; set; } = true;

    /// <summary>
    /// How long past its lifetime a stored answer may still be served while one background call refreshes it. The
    /// server's <c>stale-while-revalidate</c> directive counts when larger; <c>must-revalidate</c> forbids it.
    /// </summary>
    /// <value>The default value is zero (off).</value>
    public TimeSpan StaleWhileRevalidate { get; set; }

    /// <summary>
    /// How long past its lifetime a stored answer may be served when the upstream call fails (an exception or a 5xx). The
    /// server's <c>stale-if-error</c> directive counts when larger; <c>must-revalidate</c> forbids it.
    /// </summary>
    /// <value>The default value is zero (off).</value>
    public TimeSpan StaleIfError { get; set; }

    /// <summary>How long a 404 or 410 is cached (negative caching); the server's explicit lifetime wins when it sends one.</summary>
    /// <value>The default value is zero (not cached).</value>
    public TimeSpan NegativeTtl { get; set; }

    /// <summary>
    /// Probabilistic early refresh (XFetch): a fresh answer is refreshed in the background a little before it expires,
    /// with a probability that grows as expiry nears and with how long the answer took to fetch, so a hot key never
    /// expires for everyone at once.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool EarlyRefresh { get; set; }

    /// <summary>XFetch's β: above 1 refreshes earlier, below 1 later (more than 0).</summary>
    /// <value>The default value is 1.</value>
    public double EarlyRefreshBeta { get; set; } = DefaultEarlyRefreshBeta;

    /// <summary>The random source for <see cref="EarlyRefresh"/>, returning values in [0, 1); tests pass a fixed one.</summary>
    /// <value>The default value is <see cref="Random.NextDouble"/> of <see cref="Random.Shared"/>.</value>
    public Func<double> Randomizer { get; set; } = Random.Shared.NextDouble;

    /// <summary>
    /// A caller identity beyond the request's own headers — e.g. a fixed tenant name — mixed (hashed) into every key. Return
    /// <see langword="null"/> for none. The client's own credential (<see cref="SalvoClientOptions.Auth"/>), which the auth
    /// stage attaches inside the cache, is always mixed in too, by its non-secret <see cref="Auth.SalvoAuth.IdentityHash"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<HttpRequestMessage, string?>? Identity { get; set; }

    /// <summary>The request headers whose values identify the caller; their hash (never their value) is part of the key.</summary>
    /// <value>The default value is Authorization, Proxy-Authorization, Cookie, X-Api-Key, Api-Key, X-Auth-Token, X-Access-Token and X-Riot-Token.</value>
    public ISet<string> IdentityHeaders { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key", "Api-Key", "X-Auth-Token", "X-Access-Token", "X-Riot-Token",
    };

    /// <summary>The memory tier's bound, in bytes of bodies and headers; zero turns the memory tier off.</summary>
    /// <value>The default value is 64 MiB.</value>
    public long MemoryMaxBytes { get; set; } = DefaultMemoryMaxBytes;

    /// <summary>The largest body stored (or shared between coalesced calls); a larger answer passes through unstored.</summary>
    /// <value>The default value is 1 MiB.</value>
    public long MaxEntryBytes { get; set; } = DefaultMaxEntryBytes;

    /// <summary>
    /// A SQLite file for the persistent tier (survives restarts; WAL; bounded by <see cref="DatabaseMaxBytes"/>), created
    /// when missing. Ignored when <see cref="Store"/> is set.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: memory only.</value>
    public string? DatabasePath { get; set; }

    /// <summary>The persistent tier's bound, in bytes of stored entries; the oldest entries go first.</summary>
    /// <value>The default value is 256 MiB.</value>
    public long DatabaseMaxBytes { get; set; } = DefaultDatabaseMaxBytes;

    /// <summary>A custom persistent tier (e.g. Redis) behind the memory tier; it replaces <see cref="DatabasePath"/>. Not disposed by Salvo.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public ICacheStore? Store { get; set; }

    /// <summary>How long a store that failed stays switched off before it is tried again (a cache failure never fails a request).</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan StoreRecoveryDelay { get; set; } = DefaultStoreRecoveryDelay;

    /// <summary>Adds a lifetime for a route pattern and switches the cache on.</summary>
    /// <param name="pattern">The route pattern, e.g. <c>casino/games*</c> (see <see cref="CacheRule"/>).</param>
    /// <param name="ttl">How long a matching answer stays fresh.</param>
    /// <param name="tags">Tags for the answers this rule stores.</param>
    /// <returns>These options.</returns>
    public CacheOptions Add(string pattern, TimeSpan ttl, params string[] tags) => Add(WithTags(new CacheRule(pattern, ttl), tags));

    /// <summary>Adds a lifetime for the requests a predicate accepts and switches the cache on.</summary>
    /// <param name="predicate">Decides whether a request matches.</param>
    /// <param name="ttl">How long a matching answer stays fresh.</param>
    /// <param name="tags">Tags for the answers this rule stores.</param>
    /// <returns>These options.</returns>
    public CacheOptions Add(Func<HttpRequestMessage, bool> predicate, TimeSpan ttl, params string[] tags) => Add(WithTags(new CacheRule(predicate, ttl), tags));

    /// <summary>Adds a rule and switches the cache on.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>These options.</returns>
    public CacheOptions Add(CacheRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        Rules.Add(rule);
        Enabled = true;
        return this;
    }

    /// <summary>The one cache these options describe, created on first use and shared by every pipeline built from them.</summary>
    internal ResponseCache GetOrCreateCache(TimeProvider timeProvider, ILoggerFactory? loggers, Uri? baseAddress, string? credentialIdentity = null)
    {
        lock (_gate)
            return _cache ??= new ResponseCache(this, timeProvider, loggers, baseAddress, credentialIdentity);
    }

    private static CacheRule WithTags(CacheRule rule, string[] tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var tag in tags)
            rule.Tags.Add(tag);
        return rule;
    }
}
