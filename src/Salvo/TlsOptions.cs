using System.Security.Cryptography.X509Certificates;

namespace Salvo;

/// <summary>TLS settings. Server certificates are verified unless <see cref="DangerousAcceptAnyServerCertificate"/> is set.</summary>
public sealed class TlsOptions
{
    /// <summary>Client certificates offered to servers that ask for one (mutual TLS).</summary>
    /// <value>The default value is an empty collection.</value>
    public X509Certificate2Collection ClientCertificates { get; } = [];

    /// <summary>
    /// Extra root certificates to trust for server certificates, on top of the system's (for example a
    /// private CA, or the Sandbox's self-signed certificate). Host names are still checked.
    /// </summary>
    /// <value>The default value is an empty collection.</value>
    public X509Certificate2Collection TrustedRootCertificates { get; } = [];

    /// <summary>
    /// Turns server certificate verification off. Anyone on the network path can then read and change the
    /// traffic, so Salvo logs a warning when a client is created with it.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DangerousAcceptAnyServerCertificate { get; set; }
}
