using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Salvo.Caching;
using Salvo.Tests.Support;

namespace Salvo.Tests.Caching;

/// <summary>The memory and SQLite tiers: persistence across restarts, bounds, corrupt files, the entry format.</summary>
public sealed class CacheStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("salvo-cache-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Sqlite_SurvivesARestart_AnswerServedWithoutUpstream()
    {
        var path = Path.Combine(_dir, "cache.db");
        var origin = new CacheTestOrigin();
        var options = new CacheOptions { DatabasePath = path }.Rule("*", TimeSpan.FromMinutes(5));
        var (http, cache) = origin.Client(options);
        await http.BodyAsync("games", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "tok-secret-1"));
        await cache.DisposeAsync();

        var restarted = new CacheTestOrigin(origin.Clock);
        var (http2, cache2) = restarted.Client(new CacheOptions { DatabasePath = path }.Rule("*", TimeSpan.FromMinutes(5)));
        (await http2.BodyAsync("games", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "tok-secret-1"))).ShouldBe("body 1");
        restarted.Calls.ShouldBe(0);
        cache2.Counters.StoreHits.ShouldBe(1);
        (await http2.BodyAsync("games", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "tok-secret-2"))).ShouldBe("body 1", "another caller's first call");
        restarted.Calls.ShouldBe(1);
        (await http2.BodyAsync("games", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "tok-secret-1"))).ShouldBe("body 1");
        cache2.Counters.MemoryHits.ShouldBe(1, "promoted to memory on the first read");
        await cache2.DisposeAsync();

        File.ReadAllBytes(path).AsSpan().IndexOf(Encoding.UTF8.GetBytes("tok-secret")).ShouldBe(-1, "no credential in the file");
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        command.ExecuteScalar().ShouldBe("wal");
    }

    [Fact]
    public async Task Sqlite_CorruptFile_WarnsAndRequestsStillSucceed_MemoryTierStillWorks()
    {
        var path = Path.Combine(_dir, "corrupt.db");
        await File.WriteAllBytesAsync(path, Encoding.ASCII.GetBytes(new string('x', 8192)));
        using var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var origin = new CacheTestOrigin();
        var (http, cache) = origin.Client(new CacheOptions { DatabasePath = path }.Rule("*", TimeSpan.FromMinutes(5)), loggers);

        (await http.BodyAsync("a")).ShouldBe("body 1");
        (await http.BodyAsync("a")).ShouldBe("body 1", "the memory tier still serves");
        (await http.BodyAsync("b")).ShouldBe("body 2");

        cache.Counters.StoreFailures.ShouldBe(1, "switched off after the first failure, not retried on every call");
        logs.Lines.ShouldContain(l => l.StartsWith("Warning:201:", StringComparison.Ordinal) && l.Contains("SqliteCacheStore", StringComparison.Ordinal));
        origin.Clock.Advance(CacheOptions.DefaultStoreRecoveryDelay + TimeSpan.FromMilliseconds(1));
        (await http.BodyAsync("c")).ShouldBe("body 3");
        cache.Counters.StoreFailures.ShouldBe(2, "tried again after the recovery delay");
        await cache.DisposeAsync();
    }

    [Fact]
    public async Task Sqlite_BoundedByBytes_OldestEvictedFirst()
    {
        var store = new SqliteCacheStore(Path.Combine(_dir, "bounded.db"), maxBytes: 20_000);
        for (var i = 0; i < 40; i++)
            await store.SetAsync(Entry($"k{i}", 1000, storedAt: i));

        store.Bytes.ShouldBeLessThanOrEqualTo(20_000);
        (await store.GetAsync("k0")).ShouldBeNull("the oldest went first");
        (await store.GetAsync("k39")).ShouldNotBeNull();
        store.Dispose();
    }

    [Fact]
    public async Task Sqlite_RemoveByResourcePrefixAndTag()
    {
        var store = new SqliteCacheStore(Path.Combine(_dir, "remove.db"));
        await store.SetAsync(Entry("1", 10, resource: "http://a/casino/games", tags: ["cat"]));
        await store.SetAsync(Entry("2", 10, resource: "http://a/casino/games?p=2"));
        await store.SetAsync(Entry("3", 10, resource: "http://a/user/balance", tags: ["category"]));

        await store.RemoveResourceAsync("http://a/casino/games", exact: true);
        (await store.GetAsync("1")).ShouldBeNull();
        (await store.GetAsync("2")).ShouldNotBeNull();
        await store.RemoveTagAsync("cat");
        (await store.GetAsync("3")).ShouldNotBeNull("'category' is another tag");
        await store.RemoveResourceAsync("http://a/", exact: false);
        (await store.GetAsync("2")).ShouldBeNull();
        (await store.GetAsync("3")).ShouldBeNull();
        store.Dispose();
    }

    [Fact]
    public async Task Memory_BoundedByBytes_RefusesWhatDoesNotFit()
    {
        using var store = new MemoryCacheStore(maxBytes: 10_000);
        for (var i = 0; i < 50; i++)
            await store.SetAsync(Entry($"k{i}", 1000));

        store.Count.ShouldBeLessThanOrEqualTo(10);
    }

    [Fact]
    public void Serializer_RoundTrips_AndRejectsCorruptBytes()
    {
        var entry = Entry("GET http://a/x", 100, tags: ["t1", "t2"]) with
        {
            Headers = [KeyValuePair.Create("ETag", "\"v1\"")],
            ContentHeaders = [KeyValuePair.Create("Content-Type", "application/json")],
            ETag = "\"v1\"",
            VaryHeaders = ["Accept"],
            StaleIfError = TimeSpan.FromSeconds(3),
        };

        var bytes = CacheEntrySerializer.Serialize(entry);
        var back = CacheEntrySerializer.Deserialize(bytes);

        back.Key.ShouldBe(entry.Key);
        back.Body.ShouldBe(entry.Body);
        back.Tags.ShouldBe(["t1", "t2"]);
        back.Headers.ShouldBe(entry.Headers);
        back.VaryHeaders.ShouldBe(["Accept"]);
        back.FreshUntil.ShouldBe(entry.FreshUntil);
        back.StaleIfError.ShouldBe(TimeSpan.FromSeconds(3));
        Should.Throw<InvalidDataException>(() => CacheEntrySerializer.Deserialize(bytes[..^5]));
        Should.Throw<InvalidDataException>(() => CacheEntrySerializer.Deserialize([9, 1, 2]));
    }

    private static CacheEntry Entry(string key, int bodyBytes, long storedAt = 0, string resource = "http://a/x", string[]? tags = null) => new()
    {
        Key = key,
        Resource = resource,
        Tags = tags ?? [],
        StatusCode = 200,
        Body = new byte[bodyBytes],
        StoredAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(storedAt),
        FreshUntil = new DateTimeOffset(2026, 1, 1, 0, 5, 0, TimeSpan.Zero),
    };
}
