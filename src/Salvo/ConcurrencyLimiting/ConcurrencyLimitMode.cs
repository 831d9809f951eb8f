namespace Salvo.ConcurrencyLimiting;

/// <summary>How <see cref="ConcurrencyLimitHandler"/> bounds the requests in flight.</summary>
public enum ConcurrencyLimitMode
{
    /// <summary>No client-side bound: every request goes straight on.</summary>
    Off = 0,

    /// <summary>
    /// At most <see cref="ConcurrencyLimitOptions.Limit"/> requests in flight (per host by default), or whatever
    /// <see cref="ConcurrencyLimitOptions.Limiter"/> allows when one is given.
    /// </summary>
    Fixed = 1,

    /// <summary>
    /// A limit learned per host between <see cref="ConcurrencyLimitOptions.MinLimit"/> and
    /// <see cref="ConcurrencyLimitOptions.MaxLimit"/>: it grows while latency stays at its baseline and shrinks when
    /// latency rises or the server signals overload (see <see cref="AdaptiveLimit"/>).
    /// </summary>
    Adaptive = 2,
}
