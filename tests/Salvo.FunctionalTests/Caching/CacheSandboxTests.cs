using System.Net.Http.Headers;
using System.Text.Json;
using Salvo.Sandbox;
using Salvo.Testing;

namespace Salvo.FunctionalTests.Caching;

/// <summary>The response cache in a real <see cref="SalvoClient"/> against a real Sandbox on 127.0.0.1:0; upstream calls counted by the server.</summary>
public sealed class CacheSandboxTests
{
    private const string GamesRoute = "GET /casino/games/{id}";

    [Fact]
    public async Task ThousandConcurrentIdenticalMisses_ExactlyOneUpstreamRequest()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Latency = SandboxLatency.Fixed(TimeSpan.FromMilliseconds(200)) });
        var options = new SalvoClientOptions { BaseAddress = sandbox.BaseAddress };
        options.Cache.Add("casino/games*", TimeSpan.FromMinutes(5));
        await using var client = new SalvoClient(options);

        var bodies = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => client.GetStringAsync("casino/games/g-007")));

        sandbox.GetStats().RequestsByRoute[GamesRoute].ShouldBe(1);
        bodies.Distinct().Count().ShouldBe(1);
        bodies[0].ShouldContain("g-007");
        (client.Cache!.Counters.Coalesced + client.Cache.Counters.Hits).ShouldBe(999);
    }

    [Fact]
    public async Task FreshHit_SpendsNoRateLimitBudget()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        var options = new SalvoClientOptions { BaseAddress = sandbox.BaseAddress };
        options.RateLimit.Limits = "1/1m";
        options.RateLimit.LearnFromHeaders = false;
        options.Timeouts.Total = TimeSpan.FromSeconds(2);
        options.Cache.Add("casino/games*", TimeSpan.FromMinutes(5));
        await using var client = new SalvoClient(options);

        await client.GetStringAsync("casino/games/g-001"); // the one permit of the minute
        for (var i = 0; i < 20; i++)
            await client.GetStringAsync("casino/games/g-001"); // hits: the limiter is never asked
        await Should.ThrowAsync<SalvoThrottledException>(() => client.GetStringAsync("casino/games/g-002"));

        sandbox.GetStats().RequestsByRoute[GamesRoute].ShouldBe(1);
        client.Cache!.Counters.Hits.ShouldBe(20);
    }

    [Fact]
    public async Task ExpiredGame_RevalidatedWith304_BodyFromTheCache()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new SalvoClientOptions { BaseAddress = sandbox.BaseAddress, TimeProvider = clock };
        options.Cache.Enabled = true; // the Sandbox's ETag and max-age=300 decide
        await using var client = new SalvoClient(options);

        var first = await client.GetStringAsync("casino/games/g-003");
        clock.Advance(TimeSpan.FromSeconds(300) + TimeSpan.FromMilliseconds(1));
        var second = await client.GetStringAsync("casino/games/g-003");
        var third = await client.GetStringAsync("casino/games/g-003");

        second.ShouldBe(first);
        third.ShouldBe(first);
        var stats = sandbox.GetStats();
        stats.RequestsByRoute[GamesRoute].ShouldBe(2, "one full answer, one conditional request, then fresh again");
        stats.NotModified304.ShouldBe(1);
        client.Cache!.Counters.Revalidated.ShouldBe(1);
        client.Cache.Counters.BytesSaved.ShouldBe(first.Length * 2L);
    }

    [Fact]
    public async Task TwoTokensSameUrl_TwoUpstreamCalls_EachSeesItsOwnAnswer()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        var options = new SalvoClientOptions { BaseAddress = sandbox.BaseAddress };
        options.Cache.Add("echo", TimeSpan.FromMinutes(1));
        await using var client = new SalvoClient(options);
        async Task<string> EchoedAuthorization(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "echo");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("headers").GetProperty("Authorization").GetString()!;
        }

        (await EchoedAuthorization("alice")).ShouldBe("Bearer alice");
        (await EchoedAuthorization("bob")).ShouldBe("Bearer bob");
        (await EchoedAuthorization("alice")).ShouldBe("Bearer alice");
        (await EchoedAuthorization("bob")).ShouldBe("Bearer bob");

        sandbox.GetStats().RequestsByRoute["GET /echo"].ShouldBe(2);
    }

    [Fact]
    public async Task SqliteTier_ClientRestarted_ServedFromTheFileWithoutUpstream()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        var path = Path.Combine(Path.GetTempPath(), $"salvo-cache-{Guid.NewGuid():N}.db");
        try
        {
            string first;
            await using (var client = new SalvoClient(Options()))
            {
                first = await client.GetStringAsync("casino/games/g-010");
                await client.Cache!.DisposeAsync();
            }
            await using (var restarted = new SalvoClient(Options()))
            {
                (await restarted.GetStringAsync("casino/games/g-010")).ShouldBe(first);
                restarted.Cache!.Counters.StoreHits.ShouldBe(1);
                await restarted.Cache.DisposeAsync();
            }
            sandbox.GetStats().RequestsByRoute[GamesRoute].ShouldBe(1);
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                File.Delete(file);
        }

        SalvoClientOptions Options()
        {
            var options = new SalvoClientOptions { BaseAddress = sandbox.BaseAddress };
            options.Cache.DatabasePath = path;
            options.Cache.Add("casino/games*", TimeSpan.FromMinutes(5));
            return options;
        }
    }

    [Fact]
    public async Task ServerGone_StaleIfError_ServesTheStoredAnswerUntilItsWindowEnds()
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new SalvoClientOptions { BaseAddress = sandbox.BaseAddress, TimeProvider = clock };
        options.Retry.Enabled = false; // one attempt, so the failure shows at once
        options.Cache.StaleIfError = TimeSpan.FromMinutes(1);
        options.Cache.Add("casino/games*", TimeSpan.FromSeconds(10));
        await using var client = new SalvoClient(options);

        var stored = await client.GetStringAsync("casino/games/g-005");
        await sandbox.DisposeAsync(); // the port now refuses connections
        clock.Advance(TimeSpan.FromSeconds(11));
        (await client.GetStringAsync("casino/games/g-005")).ShouldBe(stored);
        client.Cache!.Counters.StaleServed.ShouldBe(1);
        clock.Advance(TimeSpan.FromMinutes(1));
        await Should.ThrowAsync<SalvoConnectionException>(() => client.GetStringAsync("casino/games/g-005"));
    }
}
