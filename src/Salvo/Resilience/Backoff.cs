namespace Salvo.Resilience;

/// <summary>
/// Exponential backoff with decorrelated jitter ("Exponential Backoff And Jitter", AWS Architecture Blog, 2015):
/// each wait is drawn uniformly between the base delay and three times the previous wait, then capped.
/// </summary>
/// <remarks>
/// The waits grow exponentially on average (the expected upper bound triples each time) while clients that
/// failed together spread out instead of retrying in lock-step. Computed here rather than by Polly so the
/// retry layer knows the wait before deciding whether it fits in the call's budget.
/// </remarks>
internal static class Backoff
{
    /// <summary>The wait before the next attempt.</summary>
    /// <param name="previous">The previous wait; <paramref name="baseDelay"/> before the first retry.</param>
    /// <param name="baseDelay">The shortest wait.</param>
    /// <param name="maxDelay">The longest wait (not shorter than <paramref name="baseDelay"/>).</param>
    /// <param name="random">A value in [0, 1).</param>
    /// <returns>A wait in [<paramref name="baseDelay"/>, min(<paramref name="maxDelay"/>, 3 × <paramref name="previous"/>)], or the base when that range is empty.</returns>
    public static TimeSpan DecorrelatedJitter(TimeSpan previous, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        var low = (double)baseDelay.Ticks;
        var high = Math.Min(maxDelay.Ticks, previous.Ticks * 3.0);
        if (high <= low)
            return baseDelay;
        var ticks = low + (Math.Clamp(random, 0, 1) * (high - low));
        return TimeSpan.FromTicks((long)Math.Min(ticks, high));
    }
}
