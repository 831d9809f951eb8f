using System.Diagnostics;
using System.Diagnostics.Metrics;
using Salvo.Telemetry;

namespace Salvo.Caching;

/// <summary>The instruments named in <see cref="CacheMetrics"/>, created once per process on the <c>Salvo</c> meter.</summary>
internal static class CacheInstruments
{
    private const string Unit = "{request}";
    private static readonly KeyValuePair<string, object?> MemoryTier = new("salvo.cache.tier", "memory");
    private static readonly KeyValuePair<string, object?> StoreTier = new("salvo.cache.tier", "store");

    private static readonly Counter<long> Hits = SalvoDiagnostics.Meter.CreateCounter<long>(CacheMetrics.HitsInstrument, Unit, "Calls answered by the response cache while fresh.");
    private static readonly Counter<long> Misses = SalvoDiagnostics.Meter.CreateCounter<long>(CacheMetrics.MissesInstrument, Unit, "Calls that went upstream for a full answer.");
    private static readonly Counter<long> Revalidations = SalvoDiagnostics.Meter.CreateCounter<long>(CacheMetrics.RevalidationsInstrument, Unit, "Conditional calls answered 304 Not Modified.");
    private static readonly Counter<long> CoalescedCalls = SalvoDiagnostics.Meter.CreateCounter<long>(CacheMetrics.CoalescedInstrument, Unit, "Calls that waited for an identical call in flight.");
    private static readonly Counter<long> StaleAnswers = SalvoDiagnostics.Meter.CreateCounter<long>(CacheMetrics.StaleInstrument, Unit, "Calls answered with a stale stored answer.");
    private static readonly Counter<long> Saved = SalvoDiagnostics.Meter.CreateCounter<long>(CacheMetrics.BytesSavedInstrument, "By", "Body bytes the server did not send thanks to the cache.");

    public static void Hit(bool memory)
    {
        Hits.Add(1, memory ? MemoryTier : StoreTier);
        Tag("hit");
    }

    public static void Miss()
    {
        Misses.Add(1);
        Tag("miss");
    }

    public static void Revalidated()
    {
        Revalidations.Add(1);
        Tag("revalidated");
    }

    public static void Coalesced()
    {
        CoalescedCalls.Add(1);
        Tag("coalesced");
    }

    public static void Stale()
    {
        StaleAnswers.Add(1);
        Tag("stale");
    }

    public static void BytesSaved(long bytes) => Saved.Add(bytes);

    // The telemetry handler's activity for this call, when someone traces (Activity.Current flows into the cache stage).
    private static void Tag(string result)
    {
        if (Activity.Current is { Source.Name: SalvoDiagnostics.Name } activity)
            activity.SetTag(CacheMetrics.ResultTag, result);
    }
}
