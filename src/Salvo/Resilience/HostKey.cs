namespace Salvo.Resilience;

/// <summary>
/// One origin (scheme, host and port): the unit a circuit breaker and a hedging latency window belong to.
/// Built from a <see cref="Uri"/>'s own parts (its host string is made once per <see cref="Uri"/> and cached, and
/// http and https hosts are already lower-cased).
/// </summary>
internal readonly record struct HostKey(string Scheme, string Host, int Port)
{
    public static HostKey Of(Uri uri) => new(uri.Scheme, uri.Host, uri.Port);
}
