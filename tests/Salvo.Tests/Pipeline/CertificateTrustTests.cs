using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Salvo.Pipeline;

namespace Salvo.Tests.Pipeline;

public class CertificateTrustTests
{
    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Fact]
    public void Validate_ChainErrorButCertificateIsTrustedRoot_Accepts()
    {
        using var cert = SelfSigned("sandbox");

        CertificateTrust.Validate(cert, null, SslPolicyErrors.RemoteCertificateChainErrors, [cert]).ShouldBeTrue();
    }

    [Fact]
    public void Validate_ChainErrorAndOtherRoot_Rejects()
    {
        using var cert = SelfSigned("server");
        using var other = SelfSigned("other");

        CertificateTrust.Validate(cert, null, SslPolicyErrors.RemoteCertificateChainErrors, [other]).ShouldBeFalse();
    }

    [Fact]
    public void Validate_NameMismatch_RejectedEvenWhenTrusted()
    {
        using var cert = SelfSigned("sandbox");

        CertificateTrust.Validate(cert, null, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors, [cert]).ShouldBeFalse();
        CertificateTrust.Validate(cert, null, SslPolicyErrors.RemoteCertificateNameMismatch, [cert]).ShouldBeFalse();
    }

    [Fact]
    public void Validate_NoErrors_Accepts()
    {
        using var cert = SelfSigned("sandbox");

        CertificateTrust.Validate(cert, null, SslPolicyErrors.None, []).ShouldBeTrue();
    }
}
