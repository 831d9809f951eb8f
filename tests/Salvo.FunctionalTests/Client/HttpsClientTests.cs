using Salvo.Sandbox;

namespace Salvo.FunctionalTests.Client;

/// <summary>TLS: verification on by default, explicit trust of a private root, connection reuse over HTTPS.</summary>
public sealed class HttpsClientTests : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxServer.StartAsync(new SandboxOptions { Https = true });

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task GetJsonAsync_UntrustedCertificate_ThrowsNonTransientTlsError()
    {
        await using var client = new SalvoClient(new SalvoClientOptions { BaseAddress = _sandbox.HttpsBaseAddress });

        var ex = await Should.ThrowAsync<SalvoConnectionException>(() => client.GetJsonAsync("user/balance", ClientJson.Default.Balance));

        ex.Error.ShouldBe(HttpRequestError.SecureConnectionError);
        ex.IsTransient.ShouldBeFalse();
    }

    [Fact]
    public async Task GetJsonAsync_TrustedRoot_Succeeds()
    {
        var options = new SalvoClientOptions { BaseAddress = _sandbox.HttpsBaseAddress };
        options.Tls.TrustedRootCertificates.Add(_sandbox.Certificate!);
        await using var client = new SalvoClient(options);

        for (var i = 0; i < 5; i++)
            (await client.GetJsonAsync("user/balance", ClientJson.Default.Balance)).Available.ShouldNotBeNull();

        _sandbox.GetStats().ConnectionsOpened.ShouldBe(1);
    }
}
