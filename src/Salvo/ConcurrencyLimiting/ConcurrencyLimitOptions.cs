using System.Threading.RateLimiting;

namespace Salvo.ConcurrencyLimiting;

/// <summary>How <see cref="ConcurrencyLimitHandler"/> bounds the requests in flight. Read once, when the handler is created.</summary>
/// <remarks>
/// <para>The default <see cref="Mode"/> is <see cref="ConcurrencyLimitMode.Off"/>. A client-side limit is a policy
/// that trades throughput for politeness, and the right one depends on the API: on by default it would cap fan-outs the
/// caller already bounds (<c>TaskGroup</c>, <c>SelectConcurrentAsync</c>), make a healthy server look slower through
/// Salvo than through a bare <see cref="HttpClient"/>, and learn from noise on sub-millisecond local calls. The peers
/// agree: Envoy's adaptive concurrency filter, Netflix's concurrency-limits and Polly's limiters are all opt-in.
/// Switch to <see cref="ConcurrencyLimitMode.Adaptive"/> to protect a server whose capacity you do not know; the other
/// defaults are chosen so that this one line is enough.</para>
/// <para>Checked by <see cref="ConcurrencyLimitOptionsValidator"/>; the handler throws on invalid options.</para>
/// </remarks>
public sealed class ConcurrencyLimitOptions
{
    /// <summary>The default <see cref="Limit"/>.</summary>
    /// <value>The value is 64.</value>
    public const int DefaultLimit = 64;

    /// <summary>The default <see cref="MinLimit"/>.</summary>
    /// <value>The value is 4.</value>
    public const int DefaultMinLimit = 4;

    /// <summary>The default <see cref="MaxLimit"/>.</summary>
    /// <value>The value is 256.</value>
    public const int DefaultMaxLimit = 256;

    /// <summary>The default <see cref="InitialLimit"/>.</summary>
    /// <value>The value is 20.</value>
    public const int DefaultInitialLimit = 20;

    /// <summary>Whether and how requests in flight are bounded.</summary>
    /// <value>The default value is <see cref="ConcurrencyLimitMode.Off"/> (see the remarks on this class for why).</value>
    public ConcurrencyLimitMode Mode { get; set; } = ConcurrencyLimitMode.Off;

    /// <summary>The most requests in flight at once in <see cref="ConcurrencyLimitMode.Fixed"/> mode (per host, see <see cref="PartitionByHost"/>).</summary>
    /// <value>The default value is 64: wider than the default fan-out (16), narrow enough to keep one client from swamping a small server.</value>
    public int Limit { get; set; } = DefaultLimit;

    /// <summary>The floor of the adaptive limit, and the concurrency at which its baseline latency is probed.</summary>
    /// <value>The default value is 4.</value>
    public int MinLimit { get; set; } = DefaultMinLimit;

    /// <summary>The ceiling of the adaptive limit.</summary>
    /// <value>The default value is 256.</value>
    public int MaxLimit { get; set; } = DefaultMaxLimit;

    /// <summary>The adaptive limit a host starts with, once its baseline latency has been measured.</summary>
    /// <value>The default value is 20.</value>
    public int InitialLimit { get; set; } = DefaultInitialLimit;

    /// <summary>
    /// The most requests waiting for a slot (per host); one more fails at once with a <see cref="SalvoThrottledException"/>.
    /// <see langword="null"/> bounds the wait only by each call's time budget; 0 never waits.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: a waiting call costs a hundred bytes and its own budget already ends the
    /// wait, while a count bound would fail the seeds' "start everything, gather" pattern that the limiter exists to make safe.
    /// </value>
    public int? MaxQueue { get; set; }

    /// <summary>Whether each host (and port) gets its own limit, so a slow API cannot starve calls to another.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool PartitionByHost { get; set; } = true;

    /// <summary>
    /// A limiter of your own, shared by every call through the handler (not partitioned, not disposed by Salvo). Any
    /// <see cref="RateLimiter"/> works in <see cref="ConcurrencyLimitMode.Fixed"/> mode, e.g. a
    /// <see cref="ConcurrencyLimiter"/> shared by several clients; an <see cref="AdaptiveConcurrencyLimiter"/> also
    /// works in <see cref="ConcurrencyLimitMode.Adaptive"/> mode, and the handler reports each outcome to it.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the handler creates its own limits from the other options.</value>
    public RateLimiter? Limiter { get; set; }

    /// <summary>The tuning of the adaptive algorithm.</summary>
    /// <value>The default value is <see cref="AdaptiveLimitOptions"/>' defaults.</value>
    public AdaptiveLimitOptions Adaptive { get; } = new();

    /// <summary>
    /// A name added to the limiter's metrics as the <c>salvo.client.name</c> tag, so that two clients calling the same
    /// host report separate series.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no tag).</value>
    public string? Name { get; set; }
}
