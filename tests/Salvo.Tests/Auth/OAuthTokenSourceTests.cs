using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Salvo.Auth;
using Salvo.Testing;
using Salvo.Tests.Support;

namespace Salvo.Tests.Auth;

/// <summary>Token requests to a stub OAuth 2.0 token endpoint: the wire format, expiry, rotation and errors.</summary>
public class OAuthTokenSourceTests
{
    private static readonly Uri Endpoint = new("https://login.test/oauth2/token");
    private readonly FakeTimeProvider _time = new();

    private ClientCredentialsOptions Credentials(StubHandler backchannel, string? scope = null) => new()
    {
        TokenEndpoint = Endpoint, ClientId = "svc a", ClientSecret = "s3cr3t:+", Scope = scope, Backchannel = backchannel, TimeProvider = _time,
    };

    [Fact]
    public async Task ClientCredentials_SendsTheGrantWithBasicAuthAndReadsExpiresIn()
    {
        var stub = StubHandler.Json("{\"access_token\":\"at-1\",\"token_type\":\"bearer\",\"expires_in\":3600}");
        using var auth = SalvoAuth.ClientCredentials(Credentials(stub, scope: "read write"));

        var token = await auth.GetTokenAsync();

        token.Value.ShouldBe("at-1");
        token.Scheme.ShouldBe("Bearer");
        token.ExpiresAt.ShouldBe(_time.GetUtcNow() + TimeSpan.FromHours(1));
        var request = stub.Requests.Single();
        request.Method.ShouldBe(HttpMethod.Post);
        request.Uri.ShouldBe(Endpoint);
        request.Body.ShouldBe("grant_type=client_credentials&scope=read+write");
        var basic = request.Headers["Authorization"];
        basic.ShouldStartWith("Basic ");
        Encoding.UTF8.GetString(Convert.FromBase64String(basic["Basic ".Length..])).ShouldBe("svc+a:s3cr3t%3A%2B", "RFC 6749 2.3.1: each half form-encoded");
    }

    [Fact]
    public async Task ClientCredentials_FormAuthentication_SecretInTheBody()
    {
        var stub = StubHandler.Json("{\"access_token\":\"at-1\",\"expires_in\":\"60\"}");
        var options = Credentials(stub);
        options.ClientAuthentication = ClientAuthenticationMethod.Form;
        using var auth = SalvoAuth.ClientCredentials(options);

        var token = await auth.GetTokenAsync();

        token.ExpiresAt.ShouldBe(_time.GetUtcNow() + TimeSpan.FromSeconds(60), "a numeric string expires_in is read too");
        stub.Requests.Single().Body.ShouldBe("grant_type=client_credentials&client_id=svc+a&client_secret=s3cr3t%3A%2B");
        stub.Requests.Single().Headers.ContainsKey("Authorization").ShouldBeFalse();
    }

    [Fact]
    public async Task Token_NoExpiresInButAJwt_ExpiryFromItsExpClaim()
    {
        var exp = new DateTimeOffset(2026, 1, 1, 0, 30, 0, TimeSpan.Zero);
        var jwt = AuthKit.Jwt($"{{\"sub\":\"svc\",\"exp\":{exp.ToUnixTimeSeconds()}}}");
        var stub = StubHandler.Json($"{{\"access_token\":\"{jwt}\",\"token_type\":\"Bearer\"}}");
        using var auth = SalvoAuth.ClientCredentials(Credentials(stub));

        (await auth.GetTokenAsync()).ExpiresAt.ShouldBe(exp);
    }

    [Theory]
    [InlineData("opaque-token")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIn0.bm90IGpzb24.sig")]
    public void SalvoToken_NotAJwtWithExp_NoExpiry(string value)
    {
        new SalvoToken(value).ExpiresAt.ShouldBeNull();
    }

    [Fact]
    public async Task RefreshToken_RotatedTokenIsUsedNextAndKeptInTheStore()
    {
        var answers = new Queue<string>(["{\"access_token\":\"at-1\",\"expires_in\":100,\"refresh_token\":\"rt-2\"}", "{\"access_token\":\"at-2\",\"expires_in\":100,\"refresh_token\":\"rt-3\"}"]);
        var stub = new StubHandler(_ => StubHandler.JsonResponse(answers.Dequeue()));
        var store = new MemoryTokenStore();
        using var auth = SalvoAuth.RefreshToken(new RefreshTokenOptions
        {
            TokenEndpoint = Endpoint, ClientId = "app", RefreshToken = "rt-1", Backchannel = stub, Store = store, TimeProvider = _time,
        });

        var first = await auth.GetTokenAsync();
        var second = await auth.RefreshAsync(first);

        stub.Requests.Select(r => r.Body).ShouldBe([
            "grant_type=refresh_token&refresh_token=rt-1&client_id=app",
            "grant_type=refresh_token&refresh_token=rt-2&client_id=app",
        ]);
        second.Value.ShouldBe("at-2");
        (await store.GetAsync(auth.IdentityHash))!.RefreshToken.ShouldBe("rt-3");
    }

    [Fact]
    public async Task TokenEndpointRefuses_TypedErrorWithTheOAuthCodeAndNoSecret()
    {
        var stub = StubHandler.Json("{\"error\":\"invalid_client\",\"error_description\":\"secret s3cr3t:+ is wrong\"}", HttpStatusCode.Unauthorized);
        using var auth = SalvoAuth.ClientCredentials(Credentials(stub));

        var error = await Should.ThrowAsync<SalvoAuthenticationException>(() => auth.GetTokenAsync().AsTask());

        error.Error.ShouldBe("invalid_client");
        error.TokenEndpointStatus.ShouldBe(HttpStatusCode.Unauthorized);
        error.StatusCode.ShouldBeNull("no API call was answered");
        error.IsTransient.ShouldBeFalse();
        error.ToString().ShouldNotContain("s3cr3t");
        error.Message.ShouldContain("https://login.test/oauth2/token");
    }

    [Fact]
    public async Task TokenEndpoint503_Transient()
    {
        var stub = StubHandler.Json("{\"error\":\"temporarily_unavailable\"}", HttpStatusCode.ServiceUnavailable);
        using var auth = SalvoAuth.ClientCredentials(Credentials(stub));

        var error = await Should.ThrowAsync<SalvoAuthenticationException>(() => auth.GetTokenAsync().AsTask());

        error.IsTransient.ShouldBeTrue();
        error.Error.ShouldBe("temporarily_unavailable");
    }

    [Fact]
    public async Task TokenEndpointAnswersWithoutAccessToken_NotTransient()
    {
        var stub = StubHandler.Json("{\"token_type\":\"Bearer\"}");
        using var auth = SalvoAuth.ClientCredentials(Credentials(stub));

        var error = await Should.ThrowAsync<SalvoAuthenticationException>(() => auth.GetTokenAsync().AsTask());

        error.IsTransient.ShouldBeFalse();
        error.Message.ShouldContain("no access_token");
    }

    [Fact]
    public void IdentityHash_StableAndApartPerScopeSecretAndKind()
    {
        var stub = StubHandler.Json("{}");
        using var read = SalvoAuth.ClientCredentials(Credentials(stub, "read"));
        using var readAgain = SalvoAuth.ClientCredentials(Credentials(stub, "read"));
        using var write = SalvoAuth.ClientCredentials(Credentials(stub, "write"));
        var otherSecretOptions = Credentials(stub, "read");
        otherSecretOptions.ClientSecret = "other";
        using var otherSecret = SalvoAuth.ClientCredentials(otherSecretOptions);
        using var bearer = SalvoAuth.Bearer("s3cr3t:+");

        read.IdentityHash.ShouldBe(readAgain.IdentityHash);
        new[] { read.IdentityHash, write.IdentityHash, otherSecret.IdentityHash, bearer.IdentityHash }.Distinct().Count().ShouldBe(4);
        read.IdentityHash.ShouldMatch("^[0-9a-f]{32}$");
    }

    [Fact]
    public void Options_Invalid_EveryProblemListed()
    {
        var options = new ClientCredentialsOptions
        {
            TokenEndpoint = new Uri("http://login.example.com/token"), RefreshSkew = TimeSpan.FromSeconds(-1), MaxUnauthorizedReplays = 9,
            FailureBackoff = TimeSpan.Zero,
        };

        var error = Should.Throw<OptionsValidationException>(() => SalvoAuth.ClientCredentials(options));

        error.Failures.ShouldContain(f => f.StartsWith("TokenEndpoint must use https", StringComparison.Ordinal));
        error.Failures.ShouldContain("ClientId is required.");
        error.Failures.ShouldContain(f => f.StartsWith("RefreshSkew", StringComparison.Ordinal));
        error.Failures.ShouldContain(f => f.StartsWith("MaxUnauthorizedReplays", StringComparison.Ordinal));
        error.Failures.ShouldContain(f => f.StartsWith("FailureBackoff", StringComparison.Ordinal));
    }

    [Fact]
    public void RefreshTokenOptions_WithoutRefreshToken_Invalid()
    {
        var error = Should.Throw<OptionsValidationException>(() => SalvoAuth.RefreshToken(new RefreshTokenOptions { TokenEndpoint = Endpoint, ClientId = "app" }));

        error.Failures.ShouldContain("RefreshToken is required.");
    }

    [Fact]
    public void SalvoToken_ToString_NeverShowsTheSecret()
    {
        new SalvoToken("very-secret", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), refreshToken: "refresh-secret").ToString()
            .ShouldBe("Bearer *** (expires 2026-01-01T00:00:00.0000000+00:00)");
    }
}
