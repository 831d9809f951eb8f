using Salvo.Auth;
using Salvo.Testing;
using static Salvo.Tests.Auth.AuthKit;

namespace Salvo.Tests.Auth;

/// <summary>The hook for connection-oriented transports (a WebSocket's connect payload): a valid credential on every (re)connect.</summary>
public class ConnectionCredentialTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task GetConnectionCredentialAsync_EveryReconnect_ACurrentlyValidToken()
    {
        var login = new LoginScript(_time) { Lifetime = TimeSpan.FromMinutes(10) };
        using var auth = login.Create();
        Func<CancellationToken, ValueTask<SalvoCredential>> connect = auth.GetConnectionCredentialAsync;

        var first = await connect(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromMilliseconds(1)); // the connection outlived its token
        var reconnect = await connect(CancellationToken.None);

        first.ShouldBe(new SalvoCredential("Authorization", "Bearer token-1", IsQueryParameter: false));
        reconnect.Value.ShouldBe("Bearer token-2");
        reconnect.ToString().ShouldBe("Authorization: ***");
    }

    [Fact]
    public async Task GetConnectionCredentialAsync_ServerRejectedTheConnection_RefreshGivesANewOne()
    {
        var login = new LoginScript(_time);
        using var auth = login.Create();
        var token = await auth.GetTokenAsync();

        await auth.RefreshAsync(token);

        (await auth.GetConnectionCredentialAsync()).Value.ShouldBe("Bearer token-2");
    }

    [Fact]
    public async Task GetConnectionCredentialAsync_ApiKeys_NamedWhereTheyTravel()
    {
        using var header = SalvoAuth.ApiKey("k-1", "X-Riot-Token");
        using var query = SalvoAuth.ApiKeyInQuery("k-2", "token");

        (await header.GetConnectionCredentialAsync()).ShouldBe(new SalvoCredential("X-Riot-Token", "k-1", IsQueryParameter: false));
        (await query.GetConnectionCredentialAsync()).ShouldBe(new SalvoCredential("token", "k-2", IsQueryParameter: true));
    }
}
