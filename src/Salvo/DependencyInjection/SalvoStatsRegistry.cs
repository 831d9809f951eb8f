using System.Collections.Concurrent;
using Salvo.Telemetry;

namespace Salvo.DependencyInjection;

/// <summary>One statistics recorder per client name, shared by every client and handler chain of that name.</summary>
internal sealed class SalvoStatsRegistry
{
    private readonly ConcurrentDictionary<string, SalvoStatsRecorder> _recorders = new(StringComparer.Ordinal);

    public SalvoStatsRecorder For(string name) => _recorders.GetOrAdd(name, static _ => new SalvoStatsRecorder());
}
