using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Salvo.Telemetry;

namespace Salvo.ConcurrencyLimiting;

/// <summary>
/// Creates the instruments named in <see cref="ConcurrencyLimitMetrics"/> on the <c>Salvo</c> meter, once per process, and
/// observes every live handler's partitions when a listener collects.
/// </summary>
/// <remarks>
/// Handlers are held weakly: one that is dropped without being disposed (common under <c>IHttpClientFactory</c>) leaves
/// the metrics when it is collected instead of living forever in a static list.
/// </remarks>
internal static class ConcurrencyLimitInstruments
{
    private const string Unit = "{request}";
    private static readonly ConditionalWeakTable<ConcurrencyPartitions, object?> Live = new();
    private static readonly object QueueFullReason = "queue_full";
    private static readonly object BudgetReason = "budget";

    private static readonly Counter<long> Rejected = SalvoDiagnostics.Meter.CreateCounter<long>(
        ConcurrencyLimitMetrics.RejectedInstrument, Unit, "Calls held back by the concurrency limit because no slot came free in time or the line was full.");

    // Created with the class, on the first registration; the meter holds and observes them, so they are never read here.
    private static readonly ObservableInstrument<int>[] Gauges =
    [
        SalvoDiagnostics.Meter.CreateObservableGauge(ConcurrencyLimitMetrics.LimitInstrument, static () => Observe(static g => g.Limit), Unit,
            "The number of requests that may be in flight now, per partition."),
        SalvoDiagnostics.Meter.CreateObservableGauge(ConcurrencyLimitMetrics.MinLimitInstrument, static () => Observe(static g => g.MinLimit), Unit,
            "The floor of the concurrency limit, per partition."),
        SalvoDiagnostics.Meter.CreateObservableGauge(ConcurrencyLimitMetrics.MaxLimitInstrument, static () => Observe(static g => g.MaxLimit), Unit,
            "The ceiling of the concurrency limit, per partition."),
        SalvoDiagnostics.Meter.CreateObservableGauge(ConcurrencyLimitMetrics.InFlightInstrument, static () => Observe(static g => g.InFlight), Unit,
            "The requests holding a concurrency slot now, per partition."),
        SalvoDiagnostics.Meter.CreateObservableGauge(ConcurrencyLimitMetrics.QueuedInstrument, static () => Observe(static g => g.Queued), Unit,
            "The requests waiting for a concurrency slot now, per partition."),
    ];

    private static readonly ObservableGauge<double> MinRttGauge = SalvoDiagnostics.Meter.CreateObservableGauge(
        ConcurrencyLimitMetrics.MinRttInstrument, static () => ObserveMinRtt(), "s", "The baseline round trip of an adaptive concurrency limit, per partition.");

    /// <summary>Adds a handler's partitions to the observed ones (the first call creates the instruments).</summary>
    public static void Register(ConcurrencyPartitions partitions) => Live.AddOrUpdate(partitions, null);

    public static void Unregister(ConcurrencyPartitions partitions) => Live.Remove(partitions);

    public static void OnRejected(ConcurrencyPartitions partitions, ConcurrencyGate gate, bool queueFull)
    {
        if (!Rejected.Enabled)
            return;
        var tags = Tags(partitions, gate);
        tags.Add("salvo.concurrency.reason", queueFull ? QueueFullReason : BudgetReason);
        Rejected.Add(1, tags);
    }

    private static List<Measurement<int>> Observe(Func<ConcurrencyGate, int> read)
    {
        var measurements = new List<Measurement<int>>();
        foreach (var (partitions, _) in Live)
        {
            foreach (var gate in partitions.Gates)
                measurements.Add(new Measurement<int>(read(gate), Tags(partitions, gate)));
        }
        return measurements;
    }

    private static List<Measurement<double>> ObserveMinRtt()
    {
        var measurements = new List<Measurement<double>>();
        foreach (var (partitions, _) in Live)
        {
            foreach (var gate in partitions.Gates)
            {
                if (gate.MinRtt is { } rtt)
                    measurements.Add(new Measurement<double>(rtt.TotalSeconds, Tags(partitions, gate)));
            }
        }
        return measurements;
    }

    private static TagList Tags(ConcurrencyPartitions partitions, ConcurrencyGate gate)
    {
        var tags = default(TagList);
        if (gate.Key.Host is { } host)
        {
            tags.Add("server.address", host);
            tags.Add("server.port", TelemetryTags.Port(gate.Key.Port));
        }
        if (partitions.Name is { } name)
            tags.Add("salvo.client.name", name);
        return tags;
    }
}
