namespace Salvo.RateLimiting;

public sealed partial class SalvoRateLimiter
{
    private const string OverflowName = "(overflow)";
    private const string NoHostName = "(no host)";

    // Creating, forgetting and counting partitions is rare (a new key): one lock keeps the count exact.
    private readonly Lock _createGate = new();
    private LimiterPartition? _overflow;
    private int _count;
    private long _nextSweep;
    private bool _fullLogged;

    /// <summary>The request's partition (created on first use) and its route template, if it has one.</summary>
    /// <remarks>With <paramref name="lookUpLocked"/> (the partition found last was forgotten), the lookup takes the lock that forgets partitions.</remarks>
    internal LimiterPartition PartitionFor(HttpRequestMessage request, out string? route, bool lookUpLocked = false)
    {
        var settings = request.GetSalvoSettings();
        route = settings?.RouteTemplate ?? _settings.RouteMatcher?.Invoke(request);
        var key = KeyOf(request, settings?.RateLimitKey, route);
        return !lookUpLocked && _partitions.TryGetValue(key, out var partition) ? partition : Create(key, request);
    }

    private LimiterKey KeyOf(HttpRequestMessage request, string? userKey, string? route)
    {
        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute ? absolute : null;
        return _settings.Partitioning switch
        {
            RateLimitPartitioning.Key when userKey is not null => new LimiterKey(RateLimitPartitioning.Key, null, -1, userKey),
            RateLimitPartitioning.Route when route is not null => new LimiterKey(RateLimitPartitioning.Route, uri?.Host, uri?.Port ?? -1, route),
            _ => new LimiterKey(RateLimitPartitioning.Host, uri?.Host, uri?.Port ?? -1, null),
        };
    }

    private LimiterPartition Create(LimiterKey key, HttpRequestMessage request)
    {
        lock (_createGate)
        {
            ThrowIfDisposed();
            if (_partitions.TryGetValue(key, out var partition))
                return partition;
            if (_count >= _settings.MaxPartitions && !TryForgetIdle())
                return Overflow();
            partition = new LimiterPartition(NameOf(key, request), _settings);
            _partitions[key] = partition;
            _count++;
            return partition;
        }
    }

    /// <summary>
    /// Forgets partitions that hold nothing, to make room for a new key. Sweeping is O(partitions), so while every
    /// partition is busy it runs at most once per second; keys in between share the overflow partition.
    /// </summary>
    private bool TryForgetIdle()
    {
        var now = _settings.TimeProvider.GetTimestamp();
        if (now < _nextSweep)
            return false;
        foreach (var (key, partition) in _partitions)
        {
            if (partition.TryRetireIfIdle(now) && _partitions.TryRemove(key, out _))
                _count--;
        }
        if (_count < _settings.MaxPartitions)
        {
            _fullLogged = false;
            return true;
        }
        _nextSweep = now + _settings.Frequency;
        return false;
    }

    private LimiterPartition Overflow()
    {
        if (!_fullLogged)
        {
            _fullLogged = true;
            RateLimitLog.PartitionsFull(_settings.Logger, _settings.MaxPartitions);
        }
        if (_overflow is null)
            Volatile.Write(ref _overflow, new LimiterPartition(OverflowName, _settings));
        return _overflow!;
    }

    /// <summary>The partition's name in errors, logs and snapshots: its host (and port), route or user key.</summary>
    private static string NameOf(LimiterKey key, HttpRequestMessage request)
    {
        if (key.Kind == RateLimitPartitioning.Key)
            return key.Name!;
        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute ? absolute : null;
        var host = uri is null ? NoHostName : uri.Authority;
        return key.Kind == RateLimitPartitioning.Route ? $"{host} {key.Name}" : host;
    }
}
