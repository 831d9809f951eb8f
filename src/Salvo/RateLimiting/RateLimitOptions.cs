using System.Threading.RateLimiting;

namespace Salvo.RateLimiting;

/// <summary>How <see cref="RateLimitHandler"/> (through <see cref="SalvoRateLimiter"/>) keeps calls within a server's rate limits. Read once, when the limiter is created.</summary>
/// <remarks>
/// <para>The goal is that the server never has to answer 429 for a reason the client could have known. Limits come
/// from <see cref="Limits"/> and, with <see cref="LearnFromHeaders"/>, from every response's rate-limit headers (GitHub's
/// <c>X-RateLimit-*</c>, the IETF <c>RateLimit-Policy</c>/<c>RateLimit</c> fields and their older triple, Riot's
/// <c>X-App-Rate-Limit</c>/<c>X-Method-Rate-Limit</c>). All windows of a partition are acquired together, at send
/// time, so requests in flight count. See <see cref="SalvoRateLimiter"/> for the window model.</para>
/// </remarks>
public sealed class RateLimitOptions
{
    /// <summary>The default <see cref="Share"/>.</summary>
    /// <value>The value is 1 (the whole limit).</value>
    public const double DefaultShare = 1.0;

    /// <summary>The default <see cref="MaxPartitions"/>.</summary>
    /// <value>The value is 1024.</value>
    public const int DefaultMaxPartitions = 1024;

    /// <summary>The default <see cref="PauseMargin"/>.</summary>
    /// <value>The value is 100 milliseconds.</value>
    public static readonly TimeSpan DefaultPauseMargin = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Whether calls are rate limited at all. <see cref="SalvoClient"/> leaves <see cref="RateLimitHandler"/> out of its
    /// pipeline when this is <see langword="false"/>, and a handler built with it passes every call through (no
    /// probe, no lock). A <see cref="SalvoRateLimiter"/> built from these options limits regardless.
    /// </summary>
    /// <value>The default value is <see langword="true"/>: with no other setting, limits are learned from the server's headers.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Windows that apply to every partition from the start, e.g. <c>"20/1s,100/2m"</c> (see <see cref="RateLimitWindow.ParseMany"/>).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no configured limits, only what the server teaches.</value>
    public string? Limits { get; set; }

    /// <summary>
    /// Whether limits and current counts are learned from response headers. Until a partition's first response has
    /// been read, it sends one request at a time (a probe); the answer teaches the limits and how much of them is
    /// already used, then the partition opens up. A 429's <c>Retry-After</c> pauses the partition whatever this says.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool LearnFromHeaders { get; set; } = true;

    /// <summary>Which requests share one set of windows.</summary>
    /// <value>The default value is <see cref="RateLimitPartitioning.Host"/>.</value>
    public RateLimitPartitioning Partition { get; set; } = RateLimitPartitioning.Host;

    /// <summary>
    /// Finds the route template of a request that carries no <see cref="SalvoRequestSettings.RouteTemplate"/> (e.g. by
    /// matching its path against a table). Return <see langword="null"/> for "no route". Used for
    /// <see cref="RateLimitPartitioning.Route"/> partitions and for per-method limits.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: only the per-request setting names routes.</value>
    public Func<HttpRequestMessage, string?>? RouteMatcher { get; set; }

    /// <summary>
    /// The fraction of every limit this program uses, for several programs sharing one API key: with 0.5 two
    /// programs can each use half. Applies to configured and learned limits alike (rounded down, but at least 1);
    /// the server's reported counts still apply in full, so the programs together never exceed the limit.
    /// </summary>
    /// <value>The default value is 1. Valid values are greater than 0 and at most 1.</value>
    public double Share { get; set; } = DefaultShare;

    /// <summary>What a call does when its partition has no room.</summary>
    /// <value>The default value is <see cref="RateLimitMode.Wait"/>.</value>
    public RateLimitMode Mode { get; set; } = RateLimitMode.Wait;

    /// <summary>
    /// Added to a 429's <c>Retry-After</c> before the partition opens again, so the first request after the pause does not
    /// arrive a hair too early. The larger of this and 5% of the <c>Retry-After</c> is used.
    /// </summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan PauseMargin { get; set; } = DefaultPauseMargin;

    /// <summary>
    /// The most partitions kept at once. When full, partitions holding nothing (no request in flight or counted, no
    /// waiter, no pause) are forgotten; if none is idle, new keys share one partition named <c>(overflow)</c>.
    /// </summary>
    /// <value>The default value is 1024.</value>
    public int MaxPartitions { get; set; } = DefaultMaxPartitions;

    /// <summary>
    /// A limiter of your own, used instead of one built from these options (which are then ignored). A
    /// <see cref="SalvoRateLimiter"/> here is shared: several clients (or handlers) then draw from the same partitions,
    /// with the limiter's own <see cref="Mode"/>. Any other <see cref="PartitionedRateLimiter{TResource}"/> works too, e.g. one made with
    /// <see cref="PartitionedRateLimiter.Create{TResource, TPartitionKey}(Func{TResource, RateLimitPartition{TPartitionKey}}, IEqualityComparer{TPartitionKey})"/>
    /// from the runtime's sliding-window or token-bucket limiters; each attempt holds its lease until its response
    /// headers arrive, and <see cref="Mode"/> still says whether a refused attempt waits (in the limiter's queue, or for
    /// its <see cref="MetadataName.RetryAfter"/>, within the call's budget) or throws. The handler never disposes a limiter given here.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the handler creates a <see cref="SalvoRateLimiter"/> from these options.</value>
    public PartitionedRateLimiter<HttpRequestMessage>? Limiter { get; set; }
}
