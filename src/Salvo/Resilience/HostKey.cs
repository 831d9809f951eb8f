namespace Salvo.Resilience;

/// <summary>
/// One origin (scheme, host and port): the unit a circuit breaker and a hedging latency window belong to.
/// Built from a <see cref="Uri"/> without allocating (its parts are cached strings; http and https hosts are
/// already lower-cased by <see cref="Uri"/>).
/// </summary>
internal readonly record struct HostKey(string Scheme, string Host, int Port)
{
    public static HostKey Of(Uri uri) => new(uri.Scheme, uri.Host, uri.Port);

    /// <summary><c>host:port</c>, for messages and logs.</summary>
    public string Display => $"{Host}:{Port}";
}
