namespace Salvo.Resilience;

/// <summary>
/// One origin (scheme, host and port): the unit a circuit breaker and a hedging latency window belong to.
/// Built from a <see cref="Uri"/> without allocating (its parts are cached strings; http and https hosts are
/// already lower-cased by <see cref="Uri"/>).
/// </summary>
internal readonly record struct HostKey(string Scheme, string Host, int Port)
{
    public static HostKey Of(Uri uri) => new(uri.Scheme, uri.Host, uri.Port);

    /// <summary>
    /// The origin as <see cref="Uri.Authority"/> writes it, for messages and logs: <c>host</c> on the scheme's default
    /// port, <c>host:port</c> on any other.
    /// </summary>
    public string Display => IsDefaultPort ? Host : $"{Host}:{Port}";

    private bool IsDefaultPort =>
        (Port == 80 && (Scheme == Uri.UriSchemeHttp || Scheme == Uri.UriSchemeWs))
        || (Port == 443 && (Scheme == Uri.UriSchemeHttps || Scheme == Uri.UriSchemeWss));
}
