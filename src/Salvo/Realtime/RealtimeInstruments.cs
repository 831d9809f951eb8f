using System.Diagnostics;
using System.Diagnostics.Metrics;
using Salvo.Telemetry;

namespace Salvo.Realtime;

/// <summary>The counters named in <see cref="RealtimeMetrics"/>, created once per process on the <c>Salvo</c> meter.</summary>
internal static class RealtimeInstruments
{
    private const string Unit = "{connection}";

    private static readonly Counter<long> Connections = SalvoDiagnostics.Meter.CreateCounter<long>(
        RealtimeMetrics.ConnectionsInstrument, Unit, "Connections a reconnecting stream opened successfully.");

    private static readonly Counter<long> Reconnects = SalvoDiagnostics.Meter.CreateCounter<long>(
        RealtimeMetrics.ReconnectsInstrument, Unit, "Reconnect attempts a stream scheduled after a close or failure.");

    /// <summary>The tags of one stream: its kind and its server, nothing else (no path, query or payload).</summary>
    public static TagList Tags(string kind, Uri? endpoint)
    {
        var tags = new TagList { { RealtimeMetrics.KindTag, kind } };
        if (endpoint is { IsAbsoluteUri: true })
        {
            tags.Add("server.address", endpoint.Host);
            tags.Add("server.port", endpoint.Port);
        }
        return tags;
    }

    public static void Connected(in TagList tags) => Connections.Add(1, tags);

    public static void Reconnecting(in TagList tags) => Reconnects.Add(1, tags);
}
