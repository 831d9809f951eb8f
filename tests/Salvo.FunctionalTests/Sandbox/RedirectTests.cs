using System.Net;
using Salvo.Sandbox;

namespace Salvo.FunctionalTests.Sandbox;

public sealed class RedirectTests
{
    [Fact]
    public async Task RedirectChain_FollowedByClient_EndsAtEchoAfterNHops()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync("redirect/3");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/echo");
        (await response.JsonAsync()).GetProperty("path").GetString().ShouldBe("/echo");
        var stats = sandbox.GetStats();
        stats.Route("GET /redirect/{n}").ShouldBe(3);
        stats.Route("GET /echo").ShouldBe(1);
    }

    [Fact]
    public async Task RedirectChain_NotFollowed_Returns302ToNextHop()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient(new SocketsHttpHandler { AllowAutoRedirect = false });

        using var hop = await http.GetAsync("redirect/2");
        using var last = await http.GetAsync("redirect/1");

        hop.StatusCode.ShouldBe(HttpStatusCode.Found);
        hop.Headers.Location!.OriginalString.ShouldBe("/redirect/1");
        last.Headers.Location!.OriginalString.ShouldBe("/echo");
    }

    [Fact]
    public async Task RedirectLoop_ClientGivesUpAfterMaxRedirects_WithLast302()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient(new SocketsHttpHandler { MaxAutomaticRedirections = 5 });

        using var response = await http.GetAsync("redirect-loop");

        // SocketsHttpHandler does not throw: it hands back the redirect it refused to follow.
        response.StatusCode.ShouldBe(HttpStatusCode.Found);
        response.Headers.Location!.OriginalString.ShouldBe("/redirect-loop");
        sandbox.GetStats().Route("GET /redirect-loop").ShouldBe(6);
    }

    [Fact]
    public async Task RedirectTo_LoopbackTarget_Redirects()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        await using var other = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var target = new Uri(other.BaseAddress, "echo?from=redirect");

        using var response = await http.GetAsync($"redirect-to?url={Uri.EscapeDataString(target.AbsoluteUri)}&status=307");

        response.StatusCode.ShouldBe(HttpStatusCode.TemporaryRedirect);
        response.Headers.Location.ShouldBe(target);
    }

    [Theory]
    [InlineData("http://example.com/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("/echo")]
    [InlineData("")]
    public async Task RedirectTo_NonLoopbackTarget_Returns400(string url)
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient(new SocketsHttpHandler { AllowAutoRedirect = false });

        using var response = await http.GetAsync($"redirect-to?url={Uri.EscapeDataString(url)}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
    }

    [Fact]
    public async Task RedirectTo_OtherOrigin_HttpClientDropsAuthorization()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        await using var other = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"redirect-to?url={Uri.EscapeDataString(new Uri(other.BaseAddress, "echo").AbsoluteUri)}");
        request.Headers.Authorization = new("Bearer", "secret");

        using var response = await http.SendAsync(request);

        var headers = (await response.JsonAsync()).GetProperty("headers");
        headers.TryGetProperty("Authorization", out _).ShouldBeFalse();
        other.GetStats().Route("GET /echo").ShouldBe(1);
    }
}
