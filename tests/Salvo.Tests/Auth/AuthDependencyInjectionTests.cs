using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Salvo.Auth;
using Salvo.Testing;
using Salvo.Tests.Support;
using static Salvo.Tests.Auth.AuthKit;

namespace Salvo.Tests.Auth;

public class AuthDependencyInjectionTests
{
    [Fact]
    public async Task AddSalvoClient_WithAuth_TokenAttachedAndReplayedInTheFactorysChain()
    {
        var login = new LoginScript(new FakeTimeProvider());
        using var auth = login.Create();
        var stub = new StubHandler(request => Text(request.Headers.Authorization?.Parameter == "token-1" ? HttpStatusCode.Unauthorized : HttpStatusCode.OK, "ok"));
        var services = new ServiceCollection();
        services.AddSalvoClient("api", o =>
        {
            o.BaseAddress = new Uri("http://api.test/");
            o.Auth = auth;
        }).ConfigurePrimaryHttpMessageHandler(() => stub);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredKeyedService<SalvoClient>("api");

        (await client.GetStringAsync("user/balance")).ShouldBe("ok");
        stub.Requests.Select(r => r.Headers["Authorization"]).ShouldBe(["Bearer token-1", "Bearer token-2"]);
    }

    [Fact]
    public void SalvoTransport_WithAuth_LeavesRedirectsToTheAuthStage()
    {
        using var auth = SalvoAuth.Bearer("t");

        using var plain = Salvo.Pipeline.SalvoTransport.CreateHandler(new SalvoClientOptions());
        using var authed = Salvo.Pipeline.SalvoTransport.CreateHandler(new SalvoClientOptions { Auth = auth });

        plain.AllowAutoRedirect.ShouldBeTrue();
        authed.AllowAutoRedirect.ShouldBeFalse("the auth stage follows them, keeping the credential on its origin");
    }
}
