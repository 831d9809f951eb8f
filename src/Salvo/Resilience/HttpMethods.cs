namespace Salvo.Resilience;

/// <summary>What the retry and hedging layers may do with a request, by its method (RFC 9110, section 9.2).</summary>
internal static class HttpMethods
{
    /// <summary>GET, HEAD, OPTIONS, TRACE, PUT and DELETE: sending them twice has the effect of sending them once.</summary>
    public static bool IsIdempotent(HttpMethod method) =>
        IsSafe(method) || method == HttpMethod.Put || method == HttpMethod.Delete;

    /// <summary>
    /// GET, HEAD, OPTIONS and TRACE: they change nothing on the server, so two copies may run at the same time.
    /// Hedging needs this stronger property: two concurrent DELETEs are idempotent, yet the second one's 404 can
    /// win the race and hide the first one's success.
    /// </summary>
    public static bool IsSafe(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Trace;
}
