using System.Collections.Concurrent;

namespace Salvo.ConcurrencyLimiting;

/// <summary>A handler's gates: one per host and port, or one shared by every call. Read by the metrics while it lives.</summary>
/// <remarks>
/// Memory grows with the number of distinct hosts called (a few hundred bytes each), never with the number of requests.
/// A request without an absolute URI shares one gate.
/// </remarks>
internal sealed class ConcurrencyPartitions : IDisposable
{
    private readonly ConcurrentDictionary<PartitionKey, ConcurrencyGate> _gates = new();
    private readonly ConcurrencyGate? _shared;
    private readonly bool _ownsGates;
    private readonly ConcurrencyLimitMode _mode;
    private readonly int _limit;
    private readonly int _minLimit;
    private readonly int _maxLimit;
    private readonly int _initialLimit;
    private readonly int? _maxQueue;
    private readonly AdaptiveLimitOptions _adaptive;
    private readonly TimeProvider _timeProvider;

    /// <summary>Built-in gates from the options (copied: later changes to them have no effect).</summary>
    public ConcurrencyPartitions(ConcurrencyLimitOptions options, TimeProvider timeProvider)
    {
        _mode = options.Mode;
        _limit = options.Limit;
        _minLimit = options.MinLimit;
        _maxLimit = options.MaxLimit;
        _initialLimit = options.InitialLimit;
        _maxQueue = options.MaxQueue;
        _adaptive = options.Adaptive.Clone();
        _timeProvider = timeProvider;
        _ownsGates = true;
        Name = options.Name;
        if (!options.PartitionByHost)
            _shared = Create(PartitionKey.Shared, null);
    }

    /// <summary>The gate of a user's <see cref="AdaptiveConcurrencyLimiter"/>, which the user owns.</summary>
    public ConcurrencyPartitions(ConcurrencyGate shared, string? name)
    {
        _shared = shared;
        _mode = ConcurrencyLimitMode.Adaptive;
        _adaptive = new AdaptiveLimitOptions();
        _timeProvider = shared.TimeProvider;
        Name = name;
    }

    public string? Name { get; }

    public IEnumerable<ConcurrencyGate> Gates => _shared is not null ? [_shared] : _gates.Values;

    public ConcurrencyGate For(HttpRequestMessage request)
    {
        if (_shared is not null)
            return _shared;
        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute ? absolute : null;
        var key = uri is null ? PartitionKey.Shared : new PartitionKey(uri.Host, uri.Port);
        return _gates.GetOrAdd(key, static (k, state) => state.Self.Create(k, state.Uri?.Authority), (Self: this, Uri: uri));
    }

    public void Dispose()
    {
        if (!_ownsGates)
            return;
        _shared?.Dispose();
        foreach (var gate in _gates.Values)
            gate.Dispose();
    }

    private ConcurrencyGate Create(PartitionKey key, string? partition)
    {
        var adaptive = _mode == ConcurrencyLimitMode.Adaptive
            ? new AdaptiveLimit(_minLimit, _maxLimit, _initialLimit, _adaptive, _timeProvider)
            : null;
        return new ConcurrencyGate(key, partition, _limit, adaptive, _maxQueue, _timeProvider);
    }
}
