using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Salvo.Caching;
using Salvo.Tests.Support;

namespace Salvo.Tests.Caching;

/// <summary>A persistent tier of one's own through <see cref="CacheOptions.Store"/>, the way a Redis store would plug in.</summary>
public class CustomStoreTests
{
    [Fact]
    public async Task BytesStore_SharedByTwoCaches_SecondServesWhatTheFirstStored()
    {
        var remote = new BytesStore();
        var origin = new CacheTestOrigin();
        var (first, _) = origin.Client(new CacheOptions { Store = remote }.Rule("*", TimeSpan.FromMinutes(1)));
        var (second, secondCache) = new CacheTestOrigin(origin.Clock).Client(new CacheOptions { Store = remote }.Rule("*", TimeSpan.FromMinutes(1)));

        await first.BodyAsync("games");
        (await second.BodyAsync("games")).ShouldBe("body 1", "another process, the same remote store");

        secondCache.Counters.StoreHits.ShouldBe(1);
        remote.Writes.ShouldBe(1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Miss_AsksTheStoreOnce_WhenNothingWasStoredSinceItsLookup(bool coalesce)
    {
        // A flight's leader looks again only when an answer was stored since its own lookup (see the next test); without
        // coalescing there is no such window. A second query with nothing new stored would be pure cost.
        var remote = new BytesStore();
        var (http, _) = new CacheTestOrigin().Client(new CacheOptions { Store = remote, MemoryMaxBytes = 0, Coalesce = coalesce }.Rule("*", TimeSpan.FromMinutes(1)));

        await http.BodyAsync("games");

        remote.Reads.ShouldBe(1);
        remote.Writes.ShouldBe(1);
    }

    [Fact]
    public async Task Miss_AnIdenticalCallStoredItsAnswerBetweenTheLookupAndTheFlight_TheLeaderLooksAgainAndServesIt()
    {
        // The window single flight alone cannot close: call A looks (nothing), then — before A leads a flight — call B
        // looks, leads, fetches, stores and closes its flight. A must find B's answer rather than call upstream again.
        var remote = new BytesStore();
        var origin = new CacheTestOrigin();
        var (http, _) = origin.Client(new CacheOptions { Store = remote, MemoryMaxBytes = 0 }.Rule("*", TimeSpan.FromMinutes(1)));
        remote.BeforeFirstRead = () => http.BodyAsync("games"); // B runs inside A's lookup, after A's store query

        (await http.BodyAsync("games")).ShouldBe("body 1");

        origin.Calls.ShouldBe(1);
        remote.Writes.ShouldBe(1);
        remote.Reads.ShouldBe(3, "A's lookup, B's lookup, and A's second look, since something was stored");
    }

    [Fact]
    public async Task ThrowingStore_OneWarning_CallsSucceed()
    {
        using var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var origin = new CacheTestOrigin();
        var (http, cache) = origin.Client(new CacheOptions { Store = new BytesStore { Broken = true }, MemoryMaxBytes = 0 }.Rule("*", TimeSpan.FromMinutes(1)), loggers);

        for (var i = 1; i <= 3; i++)
            (await http.BodyAsync("a")).ShouldBe($"body {i}");

        cache.Counters.StoreFailures.ShouldBe(1);
        logs.Lines.Count(l => l.StartsWith("Warning:201:", StringComparison.Ordinal)).ShouldBe(1);
        logs.Lines.ShouldContain(l => l.Contains("BytesStore", StringComparison.Ordinal) && l.Contains("connection lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoreFailureWhoseMessageMayHoldASecret_OnlyItsTypeIsLogged()
    {
        using var logs = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        var store = new BytesStore { Broken = true, Failure = new InvalidOperationException("cannot reach redis://:hunter2@cache:6379") };
        var (http, _) = new CacheTestOrigin().Client(new CacheOptions { Store = store }.Rule("*", TimeSpan.FromMinutes(1)), loggers);

        (await http.BodyAsync("a")).ShouldBe("body 1");

        logs.Lines.ShouldContain(l => l.Contains("InvalidOperationException", StringComparison.Ordinal));
        logs.Lines.ShouldAllBe(l => !l.Contains("hunter2", StringComparison.Ordinal));
    }

    /// <summary>Keeps entries as bytes under their key, as a Redis store would (prefix and tag removal by scanning).</summary>
    internal sealed class BytesStore : ICacheStore
    {
        private readonly ConcurrentDictionary<string, byte[]> _data = new(StringComparer.Ordinal);
        private int _writes;
        private int _reads;
        private Func<Task>? _beforeFirstRead;

        public bool Broken { get; init; }

        public int Reads => _reads;

        public Exception Failure { get; init; } = new IOException("connection lost");

        public int Writes => _writes;

        /// <summary>Runs once, after the first read has looked (and found what it found), before that read returns.</summary>
        public Func<Task>? BeforeFirstRead
        {
            get => _beforeFirstRead;
            set => _beforeFirstRead = value;
        }

        public ValueTask<CacheEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
        {
            ThrowIfBroken();
            Interlocked.Increment(ref _reads);
            var found = _data.TryGetValue(key, out var bytes) ? CacheEntrySerializer.Deserialize(bytes) : null;
            return Interlocked.Exchange(ref _beforeFirstRead, null) is { } hook ? AfterAsync(hook, found) : new(found);

            static async ValueTask<CacheEntry?> AfterAsync(Func<Task> hook, CacheEntry? found)
            {
                await hook();
                return found;
            }
        }

        public ValueTask SetAsync(CacheEntry entry, CancellationToken cancellationToken = default)
        {
            ThrowIfBroken();
            _data[entry.Key] = CacheEntrySerializer.Serialize(entry);
            Interlocked.Increment(ref _writes);
            return ValueTask.CompletedTask;
        }

        public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
        {
            _data.TryRemove(key, out _);
            return ValueTask.CompletedTask;
        }

        public ValueTask RemoveResourceAsync(string resourcePrefix, bool exact, CancellationToken cancellationToken = default) =>
            RemoveWhere(e => exact ? e.Resource == resourcePrefix : e.Resource.StartsWith(resourcePrefix, StringComparison.Ordinal));

        public ValueTask RemoveTagAsync(string tag, CancellationToken cancellationToken = default) => RemoveWhere(e => e.Tags.Contains(tag));

        private ValueTask RemoveWhere(Func<CacheEntry, bool> match)
        {
            foreach (var pair in _data)
            {
                if (match(CacheEntrySerializer.Deserialize(pair.Value)))
                    _data.TryRemove(pair.Key, out _);
            }
            return ValueTask.CompletedTask;
        }

        private void ThrowIfBroken()
        {
            if (Broken)
                throw Failure;
        }
    }
}
