namespace Salvo;

/// <summary>How the client's one long-lived transport pools its connections.</summary>
/// <remarks>
/// One pool per client, reused by every call: the seeds' first lesson ("always reuse the same session").
/// <see cref="PooledConnectionLifetime"/> also makes DNS changes visible, because a connection is never
/// kept past it and a new one resolves the name again.
/// </remarks>
public sealed class ConnectionPoolOptions
{
    /// <summary>The default <see cref="MaxConnectionsPerServer"/>, aiohttp's default total limit.</summary>
    /// <value>The value is 100.</value>
    public const int DefaultMaxConnectionsPerServer = 100;

    /// <summary>The default <see cref="PooledConnectionLifetime"/>.</summary>
    /// <value>The value is 5 minutes.</value>
    public static readonly TimeSpan DefaultPooledConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The default <see cref="PooledConnectionIdleTimeout"/>.</summary>
    /// <value>The value is 60 seconds.</value>
    public static readonly TimeSpan DefaultPooledConnectionIdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The most HTTP/1.1 connections open at once to one server (scheme, host, port).</summary>
    /// <value>The default value is 100.</value>
    public int MaxConnectionsPerServer { get; set; } = DefaultMaxConnectionsPerServer;

    /// <summary>How long a connection may live before it is retired; this is also how often DNS is re-resolved.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan PooledConnectionLifetime { get; set; } = DefaultPooledConnectionLifetime;

    /// <summary>How long an unused connection stays in the pool.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan PooledConnectionIdleTimeout { get; set; } = DefaultPooledConnectionIdleTimeout;

    /// <summary>
    /// The HTTP version requested for calls Salvo builds. With the default, HTTPS servers that speak HTTP/2
    /// are used over HTTP/2 (negotiated by ALPN) and everything else over HTTP/1.1.
    /// </summary>
    /// <value>The default value is 2.0.</value>
    public Version HttpVersion { get; set; } = System.Net.HttpVersion.Version20;

    /// <summary>Whether to open more HTTP/2 connections when one reaches the server's stream limit.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnableMultipleHttp2Connections { get; set; } = true;
}
