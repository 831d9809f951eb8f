using System.Net.Http.Headers;
using Salvo.Caching;

namespace Salvo.Tests.Caching;

/// <summary>Answers for different callers never mix, and no credential reaches a key.</summary>
public class CacheIdentityTests
{
    [Fact]
    public async Task TwoTokensSameUrl_TwoUpstreamCalls_NeverCrossServed()
    {
        var origin = new CacheTestOrigin { Shape = (req, _, r) => r.Content = new StringContent("for " + req.Headers.Authorization!.Parameter) };
        var (http, cache) = origin.Client(new CacheOptions().Rule("me", TimeSpan.FromMinutes(1)));
        static Action<HttpRequestMessage> As(string token) => r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        (await http.BodyAsync("me", As("alice-token"))).ShouldBe("for alice-token");
        (await http.BodyAsync("me", As("bob-token"))).ShouldBe("for bob-token");
        (await http.BodyAsync("me", As("alice-token"))).ShouldBe("for alice-token");
        (await http.BodyAsync("me", As("bob-token"))).ShouldBe("for bob-token");
        origin.Calls.ShouldBe(2);
        cache.Counters.Hits.ShouldBe(2);
    }

    [Fact]
    public async Task CookiesApiKeysAndTheIdentityOption_EachSplitTheKey()
    {
        var origin = new CacheTestOrigin();
        var tenant = "a";
        var (http, _) = origin.Client(new CacheOptions { Identity = _ => tenant }.Rule("*", TimeSpan.FromMinutes(1)));

        await http.BodyAsync("x", r => r.Headers.Add("Cookie", "sid=1"));
        await http.BodyAsync("x", r => r.Headers.Add("Cookie", "sid=2"));
        await http.BodyAsync("x", r => r.Headers.Add("X-Api-Key", "k1"));
        await http.BodyAsync("x");
        tenant = "b";
        await http.BodyAsync("x");
        origin.Calls.ShouldBe(5);
        tenant = "a";
        (await http.BodyAsync("x", r => r.Headers.Add("Cookie", "sid=1"))).ShouldBe("body 1");
    }

    [Fact]
    public async Task CoalescedCalls_DifferentTokens_NotShared()
    {
        var gate = CacheTestOrigin.Gate();
        var origin = new CacheTestOrigin().AnswerAfter(gate, (req, _) => "for " + req.Headers.Authorization!.Parameter);
        var (http, _) = origin.Client(new CacheOptions { Enabled = true });

        var alice = http.BodyAsync("me", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "alice"));
        var bob = http.BodyAsync("me", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "bob"));
        for (var i = 0; i < 2000 && origin.Calls < 2; i++)
            await Task.Delay(5);
        gate.SetResult();
        (await alice).ShouldBe("for alice");
        (await bob).ShouldBe("for bob");
    }

    [Fact]
    public void Key_HoldsAHashOfTheCredentialNeverTheCredential_SecretQueryValuesHashed()
    {
        var keys = new CacheKeys(new CacheOptions());
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://api.test/v1/me?api_key=sk_live_123&page=2");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "eyJ.secret.token");

        var resource = CacheKeys.Resource(request.RequestUri!);
        var key = CacheKeys.Key(resource, keys.Identity(request));

        key.ShouldNotContain("eyJ");
        key.ShouldNotContain("secret");
        key.ShouldNotContain("sk_live_123");
        key.ShouldStartWith("GET http://api.test/v1/me?api_key=h:");
        key.ShouldContain("&page=2 @");
        keys.Identity(request).Length.ShouldBe(32);
    }

    [Fact]
    public void Identity_RepeatedAndAlternatingTokens_StableHashesThatAFreshProcessAgreesWith()
    {
        var keys = new CacheKeys(new CacheOptions());
        string Of(CacheKeys k, params (string Name, string Value)[] headers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://api.test/");
            foreach (var (name, value) in headers)
                request.Headers.TryAddWithoutValidation(name, value);
            return k.Identity(request);
        }

        var alice = Of(keys, ("Authorization", "Bearer alice"));
        var bob = Of(keys, ("Authorization", "Bearer bob"));
        Of(keys, ("Authorization", "Bearer alice")).ShouldBe(alice);
        Of(keys, ("Authorization", "Bearer bob")).ShouldBe(bob);
        alice.ShouldNotBe(bob);
        Of(new CacheKeys(new CacheOptions()), ("Authorization", "Bearer alice")).ShouldBe(alice, "keys in the SQLite file must match after a restart");
        Of(keys, ("X-Api-Key", "Bearer alice")).ShouldNotBe(alice, "the header's name counts too");
        var both = Of(keys, ("Authorization", "Bearer alice"), ("Cookie", "sid=1"));
        both.ShouldNotBe(alice);
        Of(keys, ("Authorization", "Bearer alice"), ("Cookie", "sid=1")).ShouldBe(both);
    }

    [Theory]
    [InlineData("http://api.test/v1/games", "")]
    [InlineData("http://api.test/v1/games?a=1", "0123456789abcdef0123456789abcdef")]
    public void TryFormatKey_WritesTheSameKeyAsKey_OrRefusesASpanTooSmall(string resource, string identity)
    {
        Span<char> buffer = stackalloc char[128];

        CacheKeys.TryFormatKey(buffer, resource, identity, out var written).ShouldBeTrue();
        new string(buffer[..written]).ShouldBe(CacheKeys.Key(resource, identity));
        CacheKeys.TryFormatKey(buffer[..(written - 1)], resource, identity, out _).ShouldBeFalse();
    }
}

/// <summary>The client's own credential (<see cref="SalvoClientOptions.Auth"/>), attached inside the cache, still splits the key.</summary>
public class CacheCredentialIdentityTests
{
    [Fact]
    public async Task TwoClientsWithTheirOwnCredentialsShareAStore_EachGetsItsOwnAnswer()
    {
        var remote = new CustomStoreTests.BytesStore();
        var upstream = 0;
        var transport = new Salvo.Tests.Support.StubHandler(request =>
        {
            Interlocked.Increment(ref upstream);
            return Salvo.Tests.Support.StubHandler.JsonResponse($"\"for {request.Headers.Authorization!.Parameter}\"");
        });
        SalvoClient ClientAs(string token)
        {
            var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), Auth = Salvo.Auth.SalvoAuth.Bearer(token) };
            options.Cache.Store = remote;
            options.Cache.Add("me", TimeSpan.FromMinutes(1));
            return new SalvoClient(transport, options);
        }

        await using var alice = ClientAs("alice-token");
        await using var bob = ClientAs("bob-token");
        await using var aliceAgain = ClientAs("alice-token");

        (await alice.GetStringAsync("me")).ShouldBe("\"for alice-token\"");
        (await bob.GetStringAsync("me")).ShouldBe("\"for bob-token\"", "bob's client never gets alice's answer from the shared store");
        (await aliceAgain.GetStringAsync("me")).ShouldBe("\"for alice-token\"");
        upstream.ShouldBe(2, "alice's second client found her answer in the shared store");
        remote.Writes.ShouldBe(2);
    }
}
