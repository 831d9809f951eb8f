using System.Net;
using Salvo.Sandbox;
using Salvo.Testing;

namespace Salvo.FunctionalTests.Sandbox;

/// <summary>The Sandbox's refresh-token grant (with rotation), revocation, and its failing and stalled token endpoint.</summary>
public sealed class TokenGrantTests
{
    private static Task<SandboxServer> StartAsync(FakeTimeProvider? clock = null, TimeSpan? refreshLifetime = null) =>
        SandboxServer.StartAsync(new SandboxOptions
        {
            TokenLifetime = TimeSpan.FromMinutes(5), RefreshTokenLifetime = refreshLifetime, TimeProvider = clock ?? new FakeTimeProvider(),
        });

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).Append(KeyValuePair.Create("client_id", SandboxOptions.DefaultClientId))
            .Append(KeyValuePair.Create("client_secret", SandboxOptions.DefaultClientSecret)));

    private static FormUrlEncodedContent RefreshForm(string refreshToken) => Form(("grant_type", "refresh_token"), ("refresh_token", refreshToken));

    [Fact]
    public async Task RefreshGrant_IssuesATokenAndTheNextRefreshToken_TheUsedOneStopsWorking()
    {
        await using var sandbox = await StartAsync();
        using var http = sandbox.CreateClient();
        var first = sandbox.IssueRefreshToken();

        using var response = await http.PostAsync("auth/token", RefreshForm(first));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await response.JsonAsync();
        var next = json.GetProperty("refresh_token").GetString()!;
        next.ShouldStartWith("sbr_");
        next.ShouldNotBe(first);
        json.GetProperty("expires_in").GetDouble().ShouldBe(300);
        using var reused = await http.PostAsync("auth/token", RefreshForm(first));
        reused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await reused.JsonAsync()).GetProperty("error").GetString().ShouldBe("invalid_grant");
        using var rotated = await http.PostAsync("auth/token", RefreshForm(next));
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var stats = sandbox.GetStats();
        stats.RefreshTokensRotated.ShouldBe(2);
        stats.TokenRequests.ShouldBe(3);
    }

    [Fact]
    public async Task ClientCredentialsGrant_NoRefreshToken()
    {
        await using var sandbox = await StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.PostAsync("auth/token", Form(("grant_type", "client_credentials")));

        (await response.JsonAsync()).TryGetProperty("refresh_token", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task RefreshToken_AfterItsLifetime_InvalidGrant()
    {
        var clock = new FakeTimeProvider();
        await using var sandbox = await StartAsync(clock, refreshLifetime: TimeSpan.FromHours(1));
        using var http = sandbox.CreateClient();
        var token = sandbox.IssueRefreshToken();

        clock.Advance(TimeSpan.FromHours(1));
        using var response = await http.PostAsync("auth/token", RefreshForm(token));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task SubSecondLifetime_ExpiresInHasAFraction()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TokenLifetime = TimeSpan.FromMilliseconds(250) });
        using var http = sandbox.CreateClient();

        using var response = await http.PostAsync("auth/token", Form(("grant_type", "client_credentials")));

        (await response.JsonAsync()).GetProperty("expires_in").GetDouble().ShouldBe(0.25);
    }

    [Fact]
    public async Task Revoke_AccessToken_NextUseIs401AndRevocationIsCounted()
    {
        await using var sandbox = await StartAsync();
        using var http = sandbox.CreateClient();
        var token = sandbox.IssueToken();

        using var revoke = await http.PostAsync("auth/revoke", Form(("token", token)));
        using var unknown = await http.PostAsync("auth/revoke", Form(("token", "sbx_unknown")));
        using var request = new HttpRequestMessage(HttpMethod.Get, "user/balance") { Headers = { Authorization = new("Bearer", token) } };
        using var after = await http.SendAsync(request);

        revoke.StatusCode.ShouldBe(HttpStatusCode.OK);
        unknown.StatusCode.ShouldBe(HttpStatusCode.OK, "RFC 7009: an unknown token is not an error");
        after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        sandbox.GetStats().TokensRevoked.ShouldBe(1);
    }

    [Fact]
    public async Task Revoke_WithoutClientCredentials_401()
    {
        await using var sandbox = await StartAsync();
        using var http = sandbox.CreateClient();
        var token = sandbox.IssueRefreshToken();

        using var response = await http.PostAsync("auth/revoke", new FormUrlEncodedContent([KeyValuePair.Create("token", token)]));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        sandbox.RevokeToken(token).ShouldBeTrue("still live: the unauthenticated revocation did nothing");
    }

    [Fact]
    public async Task TokenEndpointFailure_AnswersThatStatusAndIssuesNothing()
    {
        await using var sandbox = await StartAsync();
        sandbox.Options.TokenEndpointFailure = 503;
        using var http = sandbox.CreateClient();

        using var response = await http.PostAsync("auth/token", Form(("grant_type", "client_credentials")));

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.JsonAsync()).GetProperty("error").GetString().ShouldBe("temporarily_unavailable");
        var stats = sandbox.GetStats();
        stats.TokenRequests.ShouldBe(1);
        stats.TokensIssued.ShouldBe(0);
    }

    [Fact]
    public async Task TokenEndpointStall_NoAnswerUntilTheClientGivesUp_ThenWorksAgain()
    {
        await using var sandbox = await StartAsync();
        sandbox.Options.TokenEndpointStall = true;
        using var http = sandbox.CreateClient();
        using var giveUp = new CancellationTokenSource();

        var stalled = http.PostAsync("auth/token", Form(("grant_type", "client_credentials")), giveUp.Token);
        await Eventually.UntilAsync(() => sandbox.GetStats().TokenRequests == 1, "the token request arrives");
        stalled.IsCompleted.ShouldBeFalse();
        await giveUp.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(stalled);
        sandbox.Options.TokenEndpointStall = false;

        using var response = await http.PostAsync("auth/token", Form(("grant_type", "client_credentials")));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        sandbox.GetStats().Hangs.ShouldBe(1);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(600)]
    public async Task TokenEndpointFailure_NotAnErrorStatus_RefusedAtStart(int status)
    {
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => SandboxServer.StartAsync(new SandboxOptions { TokenEndpointFailure = status }));
    }
}
