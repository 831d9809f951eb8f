namespace Salvo.Caching;

/// <summary>The counters the response cache reports on the <c>Salvo</c> meter (<see cref="Telemetry.SalvoDiagnostics.Name"/>).</summary>
public static class CacheMetrics
{
    /// <summary>Counter: fresh hits, tagged <c>salvo.cache.tier</c> = <c>memory</c> or <c>store</c>.</summary>
    /// <value>The value is <c>salvo.cache.hits</c>.</value>
    public const string HitsInstrument = "salvo.cache.hits";

    /// <summary>Counter: calls that went upstream for a full answer.</summary>
    /// <value>The value is <c>salvo.cache.misses</c>.</value>
    public const string MissesInstrument = "salvo.cache.misses";

    /// <summary>Counter: conditional calls answered 304, the stored answer refreshed.</summary>
    /// <value>The value is <c>salvo.cache.revalidations</c>.</value>
    public const string RevalidationsInstrument = "salvo.cache.revalidations";

    /// <summary>Counter: calls that waited for an identical call in flight (single flight).</summary>
    /// <value>The value is <c>salvo.cache.coalesced</c>.</value>
    public const string CoalescedInstrument = "salvo.cache.coalesced";

    /// <summary>Counter: calls answered stale (stale-while-revalidate or stale-if-error).</summary>
    /// <value>The value is <c>salvo.cache.stale</c>.</value>
    public const string StaleInstrument = "salvo.cache.stale";

    /// <summary>
    /// The tag set on the call's <c>Salvo</c> activity (when traced): <c>hit</c>, <c>stale</c>, <c>revalidated</c>,
    /// <c>coalesced</c> or <c>miss</c>.
    /// </summary>
    /// <value>The value is <c>salvo.cache.result</c>.</value>
    public const string ResultTag = "salvo.cache.result";

    /// <summary>Counter, in bytes: body bytes the server did not send thanks to the cache.</summary>
    /// <value>The value is <c>salvo.cache.bytes_saved</c>.</value>
    public const string BytesSavedInstrument = "salvo.cache.bytes_saved";
}
