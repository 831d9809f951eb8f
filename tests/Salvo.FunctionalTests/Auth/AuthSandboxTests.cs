using System.Net;
using System.Text.Json;
using Salvo.Auth;
using Salvo.FunctionalTests.Sandbox;
using Salvo.Sandbox;
using Salvo.Testing;

namespace Salvo.FunctionalTests.Auth;

/// <summary>Salvo's auth against the real Sandbox on 127.0.0.1:0: its token endpoint, its 401s and its redirects.</summary>
public sealed class AuthSandboxTests : IAsyncLifetime
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly FakeTimeProvider _clock = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "salvo-auth-" + Guid.NewGuid().ToString("N"));
    private SandboxServer _sandbox = null!;

    public async Task InitializeAsync() =>
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { TokenLifetime = Lifetime, TimeProvider = _clock });

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private Uri TokenEndpoint => new(_sandbox.BaseAddress, "auth/token");

    private SalvoAuth ClientCredentials(Action<ClientCredentialsOptions>? configure = null)
    {
        var options = new ClientCredentialsOptions
        {
            TokenEndpoint = TokenEndpoint, ClientId = SandboxOptions.DefaultClientId, ClientSecret = SandboxOptions.DefaultClientSecret, TimeProvider = _clock,
        };
        configure?.Invoke(options);
        return SalvoAuth.ClientCredentials(options);
    }

    private SalvoClient Client(SalvoAuth auth, Action<SalvoClientOptions>? configure = null)
    {
        var options = new SalvoClientOptions { BaseAddress = _sandbox.BaseAddress, Auth = auth };
        configure?.Invoke(options);
        return new SalvoClient(options);
    }

    [Fact]
    public async Task ClientCredentials_TokenReusedUntilItExpiresThenOneRefresh()
    {
        using var auth = ClientCredentials();
        await using var client = Client(auth);

        for (var i = 0; i < 5; i++)
            await client.GetStringAsync("user/balance");
        _clock.Advance(Lifetime + TimeSpan.FromMilliseconds(1));
        for (var i = 0; i < 5; i++)
            await client.GetStringAsync("user/balance");

        var stats = _sandbox.GetStats();
        stats.TokenRequests.ShouldBe(2);
        stats.Unauthorized401.ShouldBe(0, "the client refreshed before the server could refuse");
        auth.Counters.TokensExpired.ShouldBe(1);
    }

    [Fact]
    public async Task RevokedToken_401_RefreshedOnceAndReplayed()
    {
        using var auth = ClientCredentials();
        await using var client = Client(auth);
        await client.GetStringAsync("user/balance");
        _sandbox.RevokeTokens();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetStringAsync("user/balance")));

        var stats = _sandbox.GetStats();
        stats.TokenRequests.ShouldBe(2, "one refresh for every call that got a 401");
        stats.Unauthorized401.ShouldBeGreaterThanOrEqualTo(1);
        auth.Counters.Replayed401.ShouldBe(stats.Unauthorized401);
    }

    [Fact]
    public async Task WrongSecret_TypedAuthErrorNamingTheOAuthCode()
    {
        using var auth = ClientCredentials(o => o.ClientSecret = "wrong-secret");
        await using var client = Client(auth);

        var error = await Should.ThrowAsync<SalvoAuthenticationException>(() => client.GetStringAsync("user/balance"));

        error.Error.ShouldBe("invalid_client");
        error.TokenEndpointStatus.ShouldBe(HttpStatusCode.Unauthorized);
        error.IsTransient.ShouldBeFalse();
        error.ToString().ShouldNotContain("wrong-secret");
    }

    [Fact]
    public async Task TokenEndpointDown_TypedErrorThenRecoveryAfterTheBackoff()
    {
        _sandbox.Options.TokenEndpointFailure = 503;
        using var auth = ClientCredentials();
        await using var client = Client(auth, o =>
        {
            o.Retry.Enabled = false;
            // Shorter than the backoff: a call that comes after the failure fails at once instead of waiting for the next request.
            o.Timeouts.Total = TimeSpan.FromMilliseconds(900);
            o.Timeouts.Attempt = TimeSpan.FromMilliseconds(900);
        });

        var errors = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Should.ThrowAsync<SalvoAuthenticationException>(() => client.GetStringAsync("user/balance"))));
        errors.ShouldAllBe(e => e.TokenEndpointStatus == HttpStatusCode.ServiceUnavailable && e.IsTransient);
        _sandbox.GetStats().TokenRequests.ShouldBe(1, "the ten calls shared one failed request (or came during its backoff)");

        _sandbox.Options.TokenEndpointFailure = null;
        _clock.Advance(SalvoAuthOptions.DefaultFailureBackoff + TimeSpan.FromMilliseconds(1));
        await client.GetStringAsync("user/balance");

        _sandbox.GetStats().TokenRequests.ShouldBe(2);
    }

    [Fact]
    public async Task TokenEndpointStalled_CallEndsWithItsBudgetAndTheNextRefreshWorks()
    {
        _sandbox.Options.TokenEndpointStall = true;
        using var auth = ClientCredentials(o => o.RefreshTimeout = TimeSpan.FromSeconds(5));
        await using var client = Client(auth, o =>
        {
            o.TimeProvider = _clock;
            o.Timeouts.Total = TimeSpan.FromSeconds(2);
            o.Timeouts.Attempt = TimeSpan.FromSeconds(1);
        });

        var call = client.GetStringAsync("user/balance");
        await Eventually.UntilAsync(() => _sandbox.GetStats().TokenRequests == 1, "the token request reaches the stalled endpoint");
        _clock.Advance(TimeSpan.FromSeconds(2) + TimeSpan.FromMilliseconds(1));
        (await Should.ThrowAsync<SalvoTimeoutException>(call)).Budget.ShouldBe(TimeoutBudget.Total);

        _clock.Advance(TimeSpan.FromSeconds(3)); // the stalled token request reaches its own timeout
        await Eventually.UntilAsync(() => auth.Counters.RefreshFailures == 1, "the stalled token request times out");
        _sandbox.Options.TokenEndpointStall = false;
        _clock.Advance(SalvoAuthOptions.DefaultFailureBackoff + TimeSpan.FromMilliseconds(1));
        (await client.GetStringAsync("user/balance")).ShouldContain("available");
    }

    [Fact]
    public async Task RefreshTokenGrant_RotatedTokenPersisted_NextRunStartsFromIt()
    {
        var first = _sandbox.IssueRefreshToken();
        RefreshTokenOptions Options() => new()
        {
            TokenEndpoint = TokenEndpoint, ClientId = SandboxOptions.DefaultClientId, ClientSecret = SandboxOptions.DefaultClientSecret,
            RefreshToken = first, Store = new FileTokenStore(_directory), TimeProvider = _clock,
        };
        using (var run1 = SalvoAuth.RefreshToken(Options()))
        {
            await using var client = Client(run1);
            await client.GetStringAsync("user/balance");
        }
        _sandbox.RevokeTokens(); // the stored access token dies; the configured refresh token was rotated away by run 1

        using var run2 = SalvoAuth.RefreshToken(Options());
        await using var again = Client(run2);
        (await again.GetStringAsync("user/balance")).ShouldContain("available");

        var stats = _sandbox.GetStats();
        stats.RefreshTokensRotated.ShouldBe(2, "run 2 refreshed with the refresh token run 1 stored, not the dead first one");
        run2.Counters.TokensFromStore.ShouldBe(1);
        run2.Counters.Replayed401.ShouldBe(1);
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(new FileTokenStore(_directory).PathOf(run2.IdentityHash)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task RedirectToAnotherSandbox_AuthorizationRemoved_SameOriginRedirectKeepsIt()
    {
        await using var other = await SandboxServer.StartAsync();
        using var auth = SalvoAuth.Bearer(_sandbox.IssueToken());
        await using var client = Client(auth);
        var target = Uri.EscapeDataString(new Uri(other.BaseAddress, "echo").AbsoluteUri);

        var elsewhere = await EchoedHeadersAsync(client, $"redirect-to?url={target}");
        var here = await EchoedHeadersAsync(client, "redirect/2");

        elsewhere.ContainsKey("Authorization").ShouldBeFalse();
        other.GetStats().Route("GET /echo").ShouldBe(1);
        here["Authorization"].ShouldStartWith("Bearer sbx_");
    }

    [Fact]
    public async Task ApiKeyHeaderRedirectedToAnotherSandbox_KeyRemoved()
    {
        await using var other = await SandboxServer.StartAsync();
        using var auth = SalvoAuth.ApiKey("key-123");
        await using var client = Client(auth);
        var target = Uri.EscapeDataString(new Uri(other.BaseAddress, "echo").AbsoluteUri);

        var elsewhere = await EchoedHeadersAsync(client, $"redirect-to?url={target}&status=307");

        elsewhere.ContainsKey("X-Api-Key").ShouldBeFalse();
    }

    private static async Task<Dictionary<string, string>> EchoedHeadersAsync(SalvoClient client, string url)
    {
        using var echo = JsonDocument.Parse(await client.GetStringAsync(url));
        return echo.RootElement.GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
    }
}
