namespace Salvo.RateLimiting;

/// <summary>
/// A request admitted by a partition: what it holds and where, so its completion releases exactly that. A struct, so
/// the handler's fast path allocates nothing for it.
/// </summary>
internal readonly struct Admission(
    LimiterPartition partition, LimitScope? route, string? routeTemplate, int permits, int rootEpoch, int routeEpoch, bool rootProbe, bool routeProbe)
{
    public LimiterPartition Partition { get; } = partition;

    /// <summary>The route scope that counted the request, if any.</summary>
    public LimitScope? Route { get; } = route;

    /// <summary>The request's route template, where per-route limits learned from its response belong.</summary>
    public string? RouteTemplate { get; } = routeTemplate;

    public int Permits { get; } = permits;

    public int RootEpoch { get; } = rootEpoch;

    public int RouteEpoch { get; } = routeEpoch;

    /// <summary>Whether this request is the partition's probe (the one request sent before limits are known).</summary>
    public bool RootProbe { get; } = rootProbe;

    /// <summary>Whether this request is its route's probe.</summary>
    public bool RouteProbe { get; } = routeProbe;
}
