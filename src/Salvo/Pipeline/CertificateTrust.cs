using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Salvo.Pipeline;

/// <summary>Accepts a server certificate the system trusts, or one that chains to an extra trusted root.</summary>
internal static class CertificateTrust
{
    public static bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        // A wrong host name or a missing certificate is never forgiven: only the chain may be re-checked.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
            return false;

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
