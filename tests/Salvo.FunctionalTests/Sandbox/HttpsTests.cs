using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Salvo.Sandbox;

namespace Salvo.FunctionalTests.Sandbox;

public sealed class HttpsTests
{
    private static SocketsHttpHandler TrustingHandler(X509Certificate2 certificate) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                CustomTrustStore = { certificate },
            },
        },
    };

    [Fact]
    public async Task Https_ClientTrustingCertificate_GetsResponse()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Https = true });
        using var http = new HttpClient(TrustingHandler(sandbox.Certificate!)) { BaseAddress = sandbox.HttpsBaseAddress };

        using var response = await http.GetAsync("user/balance");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        sandbox.HttpsBaseAddress!.Scheme.ShouldBe("https");
        sandbox.HttpsBaseAddress.Host.ShouldBe("127.0.0.1");
        sandbox.HttpsBaseAddress.Port.ShouldNotBe(sandbox.BaseAddress.Port);
    }

    [Fact]
    public async Task Https_LocalhostName_AlsoMatchesCertificate()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Https = true });
        using var http = new HttpClient(TrustingHandler(sandbox.Certificate!));

        using var response = await http.GetAsync($"https://localhost:{sandbox.HttpsBaseAddress!.Port}/echo");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Https_Http2Requested_IsNegotiated()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Https = true });
        using var http = new HttpClient(TrustingHandler(sandbox.Certificate!))
        {
            BaseAddress = sandbox.HttpsBaseAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await http.GetAsync("echo");

        response.Version.ShouldBe(HttpVersion.Version20);
        (await response.JsonAsync()).GetProperty("protocol").GetString().ShouldBe("HTTP/2");
    }

    [Fact]
    public async Task Https_UntrustedClient_FailsTheHandshake()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Https = true });
        using var http = new HttpClient { BaseAddress = sandbox.HttpsBaseAddress };

        var failure = await Should.ThrowAsync<HttpRequestException>(() => http.GetAsync("user/balance"));

        failure.InnerException.ShouldBeOfType<AuthenticationException>();
    }

    [Fact]
    public async Task Certificate_IsEcdsaP256ForLoopbackValidForAWeek()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Https = true });
        var certificate = sandbox.Certificate!;

        using var key = certificate.GetECDsaPublicKey();
        key.ShouldNotBeNull();
        key!.KeySize.ShouldBe(256);
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        names.EnumerateIPAddresses().ShouldContain(IPAddress.Loopback);
        names.EnumerateDnsNames().ShouldContain("localhost");
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        certificate.NotBefore.ToUniversalTime().ShouldBeInRange(now.AddDays(-1).AddMinutes(-5), now.AddDays(-1).AddMinutes(5));
        certificate.NotAfter.ToUniversalTime().ShouldBeInRange(now.AddDays(7).AddMinutes(-5), now.AddDays(7).AddMinutes(5));
    }

    [Fact]
    public async Task HttpsOff_HasNoHttpsAddressOrCertificate()
    {
        await using var sandbox = await SandboxServer.StartAsync();

        sandbox.HttpsBaseAddress.ShouldBeNull();
        sandbox.Certificate.ShouldBeNull();
    }
}
