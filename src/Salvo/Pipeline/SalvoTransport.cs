using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Salvo.Pipeline;

/// <summary>Creates the one long-lived, pooled transport a client uses for every call.</summary>
public static partial class SalvoTransport
{
    /// <summary>
    /// Creates a <see cref="SocketsHttpHandler"/> configured from the options: pool size and lifetimes (DNS
    /// refresh through the pooled lifetime), HTTP/2 with multiple connections, connect timeout, proxy, client
    /// certificates, extra trusted roots, redirects (Authorization is never forwarded), automatic decompression,
    /// and no cookie container (an API client must not carry one user's cookies into another's call).
    /// </summary>
    /// <param name="options">The client options.</param>
    /// <param name="logger">Receives the warning when certificate verification is turned off.</param>
    /// <returns>A new handler; the caller owns it.</returns>
    public static SocketsHttpHandler CreateHandler(SalvoClientOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pool = options.Pool;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = pool.MaxConnectionsPerServer,
            PooledConnectionLifetime = pool.PooledConnectionLifetime,
            PooledConnectionIdleTimeout = pool.PooledConnectionIdleTimeout,
            EnableMultipleHttp2Connections = pool.EnableMultipleHttp2Connections,
            ConnectTimeout = options.Timeouts.Connect,
            AutomaticDecompression = DecompressionMethods.All,
            // With a credential, the auth stage follows redirects itself, so it can keep the credential on its origin and drop it elsewhere.
            AllowAutoRedirect = options.AllowAutoRedirect && options.Auth is null,
            MaxAutomaticRedirections = Math.Max(1, options.MaxRedirects),
            UseCookies = false,
            UseProxy = options.UseProxy,
            Proxy = options.Proxy,
        };
        var tls = options.Tls;
        if (tls.ClientCertificates.Count > 0)
            handler.SslOptions.ClientCertificates = new X509CertificateCollection(tls.ClientCertificates);
        if (tls.DangerousAcceptAnyServerCertificate)
        {
            if (logger is not null)
                LogCertificateValidationDisabled(logger);
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (tls.TrustedRootCertificates.Count > 0)
        {
            var roots = new X509Certificate2Collection(tls.TrustedRootCertificates);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                CertificateTrust.Validate(certificate, chain, errors, roots);
        }
        return handler;
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning,
        Message = "TLS server certificate verification is OFF (Tls.DangerousAcceptAnyServerCertificate). Anyone on the network path can read and change this client's traffic.")]
    private static partial void LogCertificateValidationDisabled(ILogger logger);
}
