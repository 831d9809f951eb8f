using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Salvo.Sandbox;
using Salvo.Testing;

namespace Salvo.FunctionalTests.Sandbox;

public sealed class AuthTests
{
    internal static FormUrlEncodedContent ClientCredentialsForm(
        string clientId = SandboxOptions.DefaultClientId, string secret = SandboxOptions.DefaultClientSecret, string grantType = "client_credentials") =>
        new(new Dictionary<string, string> { ["grant_type"] = grantType, ["client_id"] = clientId, ["client_secret"] = secret });

    private static Task<SandboxServer> StartAsync(FakeTimeProvider? clock = null) =>
        SandboxServer.StartAsync(new SandboxOptions { TokenLifetime = TimeSpan.FromMinutes(5), TimeProvider = clock ?? new FakeTimeProvider() });

    private static async Task<HttpStatusCode> GetBalanceAsync(HttpClient http, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "user/balance");
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task ApiRequest_WithoutToken_Returns401WithBearerChallengeAndJson()
    {
        await using var sandbox = await StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync("casino/games");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer error=\"invalid_token\"");
        (await response.JsonAsync()).GetProperty("error").GetString().ShouldBe("invalid_token");
        sandbox.GetStats().Unauthorized401.ShouldBe(1);
    }

    [Fact]
    public async Task TokenEndpoint_FormCredentials_IssuesWorkingBearerToken()
    {
        await using var sandbox = await StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.PostAsync("auth/token", ClientCredentialsForm());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var json = await response.JsonAsync();
        json.GetProperty("token_type").GetString().ShouldBe("Bearer");
        json.GetProperty("expires_in").GetInt64().ShouldBe(300);
        var token = json.GetProperty("access_token").GetString()!;
        token.Length.ShouldBeGreaterThan(20);
        (await GetBalanceAsync(http, token)).ShouldBe(HttpStatusCode.OK);
        sandbox.GetStats().TokensIssued.ShouldBe(1);
    }

    [Fact]
    public async Task TokenEndpoint_BasicCredentials_IssuesToken()
    {
        await using var sandbox = await StartAsync();
        using var http = sandbox.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "auth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("sandbox-client:sandbox-secret")));

        using var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = (await response.JsonAsync()).GetProperty("access_token").GetString();
        (await GetBalanceAsync(http, token)).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("sandbox-client", "wrong")]
    [InlineData("someone-else", "sandbox-secret")]
    public async Task TokenEndpoint_WrongCredentials_Returns401InvalidClient(string clientId, string secret)
    {
        await using var sandbox = await StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.PostAsync("auth/token", ClientCredentialsForm(clientId, secret));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldBe("{\"error\":\"invalid_client\"}");
        sandbox.GetStats().TokensIssued.ShouldBe(0);
    }

    [Fact]
    public async Task TokenEndpoint_UnsupportedGrant_Returns400()
    {
        await using var sandbox = await StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.PostAsync("auth/token", ClientCredentialsForm(grantType: "password"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("error").GetString().ShouldBe("unsupported_grant_type");
    }

    [Fact]
    public async Task TokenEndpoint_NotAForm_Returns400InvalidRequest()
    {
        await using var sandbox = await StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.PostAsync("auth/token", new StringContent("{}", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("error").GetString().ShouldBe("invalid_request");
    }

    [Fact]
    public async Task Token_AfterLifetimeOnFakeClock_IsRejected()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await StartAsync(clock);
        using var http = sandbox.CreateClient();
        var token = sandbox.IssueToken();

        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        (await GetBalanceAsync(http, token)).ShouldBe(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromTicks(1));
        (await GetBalanceAsync(http, token)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RevokeTokens_InvalidatesIssuedTokens_NewOnesWork()
    {
        await using var sandbox = await StartAsync();
        using var http = sandbox.CreateClient();
        var old = sandbox.IssueToken();
        (await GetBalanceAsync(http, old)).ShouldBe(HttpStatusCode.OK);

        sandbox.RevokeTokens();

        (await GetBalanceAsync(http, old)).ShouldBe(HttpStatusCode.Unauthorized);
        (await GetBalanceAsync(http, sandbox.IssueToken("other-client"))).ShouldBe(HttpStatusCode.OK);
        sandbox.GetStats().TokensIssued.ShouldBe(2);
    }

    [Fact]
    public async Task UnknownToken_Returns401_HelpersAndControlNeedNoToken()
    {
        await using var sandbox = await StartAsync();
        using var http = sandbox.CreateClient();

        (await GetBalanceAsync(http, "sbx_forged")).ShouldBe(HttpStatusCode.Unauthorized);
        (await http.GetAsync("echo")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync("status/200")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync("_sandbox/stats")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task NoTokenLifetime_ApiNeedsNoToken_AndTurningAuthOnWhileRunningRequiresIt()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();
        (await GetBalanceAsync(http, null)).ShouldBe(HttpStatusCode.OK);

        sandbox.Options.TokenLifetime = TimeSpan.FromMinutes(1);

        (await GetBalanceAsync(http, null)).ShouldBe(HttpStatusCode.Unauthorized);
    }
}
