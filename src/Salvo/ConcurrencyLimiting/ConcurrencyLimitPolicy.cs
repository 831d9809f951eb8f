namespace Salvo.ConcurrencyLimiting;

/// <summary>Which path <see cref="ConcurrencyLimitHandler"/> sends requests through, decided once from its options.</summary>
internal enum ConcurrencyLimitPolicy
{
    /// <summary>No limit: the handler passes requests on.</summary>
    None,

    /// <summary>Salvo's own gates (fixed or adaptive, per host or shared, or a user's <see cref="AdaptiveConcurrencyLimiter"/>).</summary>
    Gates,

    /// <summary>A user's <see cref="System.Threading.RateLimiting.RateLimiter"/>, through leases.</summary>
    RateLimiter,
}
