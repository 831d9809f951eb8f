using Salvo.Auth;
using Salvo.Testing;

namespace Salvo.Tests.Auth;

public sealed class TokenStoreTests : IDisposable
{
    private const string Key = "0123456789abcdef0123456789abcdef";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "salvo-tokens-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new();

    public void Dispose()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private SalvoToken Token(string value) => SalvoToken.ExpiringIn(value, TimeSpan.FromHours(1), _time.GetUtcNow(), "refresh-" + value);

    [Fact]
    public async Task FileStore_SetThenGet_RoundTripsEveryField()
    {
        var store = new FileTokenStore(_directory);

        await store.SetAsync(Key, Token("at-1"));
        var read = await store.GetAsync(Key);

        read!.Value.ShouldBe("at-1");
        read.Scheme.ShouldBe("Bearer");
        read.ExpiresAt.ShouldBe(_time.GetUtcNow() + TimeSpan.FromHours(1));
        read.ObtainedAt.ShouldBe(_time.GetUtcNow());
        read.RefreshToken.ShouldBe("refresh-at-1");
    }

    [Fact]
    public async Task FileStore_Files_OwnerOnly()
    {
        if (OperatingSystem.IsWindows())
            return; // Unix permissions; Windows files get the directory's ACLs
        var store = new FileTokenStore(_directory);

        await store.SetAsync(Key, Token("at-1"));
        await store.SetAsync(Key, Token("at-2"));

        File.GetUnixFileMode(store.PathOf(Key)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(_directory).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public async Task FileStore_FileWithLoosePermissions_TightenedWhenRead()
    {
        if (OperatingSystem.IsWindows())
            return; // Unix permissions; Windows files get the directory's ACLs
        var store = new FileTokenStore(_directory);
        await store.SetAsync(Key, Token("at-1"));
        File.SetUnixFileMode(store.PathOf(Key), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await store.GetAsync(Key);

        File.GetUnixFileMode(store.PathOf(Key)).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task FileStore_ConcurrentWritesAndReads_ReadersSeeAWholeTokenAndNoTemporaryFileStays()
    {
        var store = new FileTokenStore(_directory);
        await store.SetAsync(Key, Token("at-0"));
        var written = Enumerable.Range(1, 50).Select(i => "at-" + i).ToHashSet();
        written.Add("at-0");

        var writers = Enumerable.Range(1, 50).Select(i => Task.Run(() => store.SetAsync(Key, Token("at-" + i)).AsTask()));
        var readers = Enumerable.Range(0, 200).Select(_ => Task.Run(async () => (await store.GetAsync(Key))?.Value));
        await Task.WhenAll(writers);
        var seen = await Task.WhenAll(readers);

        seen.ShouldAllBe(v => v != null && written.Contains(v), "a reader sees the old token or a new one, never a torn file or none");
        Directory.GetFiles(_directory).ShouldBe([store.PathOf(Key)]);
    }

    [Fact]
    public async Task FileStore_CorruptOrMissingFile_ReadsAsNone()
    {
        var store = new FileTokenStore(_directory);
        (await store.GetAsync(Key)).ShouldBeNull();
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(store.PathOf(Key), "{ not json");

        (await store.GetAsync(Key)).ShouldBeNull();
    }

    [Fact]
    public async Task Stores_Remove_ForgetsTheTokenAndMissingIsNoError()
    {
        ISalvoTokenStore[] stores = [new FileTokenStore(_directory), new MemoryTokenStore()];
        foreach (var store in stores)
        {
            await store.RemoveAsync(Key); // nothing there yet (the file store's directory does not exist either)
            await store.SetAsync(Key, Token("at-1"));
            await store.RemoveAsync(Key);

            (await store.GetAsync(Key)).ShouldBeNull();
        }
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    public void FileStore_KeyThatIsNotAHash_Refused(string key)
    {
        Should.Throw<ArgumentException>(() => new FileTokenStore(_directory).PathOf(key));
    }

    [Fact]
    public async Task FileStore_SecondRun_ReusesTheValidTokenWithoutALogin()
    {
        var store = new FileTokenStore(_directory);
        var firstRun = new LoginScript(_time);
        using (var auth = firstRun.Create(o => o.Store = store))
            (await auth.GetTokenAsync()).Value.ShouldBe("token-1");

        var secondRun = new LoginScript(_time);
        using var again = secondRun.Create(o => o.Store = new FileTokenStore(_directory));
        var token = await again.GetTokenAsync();

        token.Value.ShouldBe("token-1");
        secondRun.Calls.ShouldBe(0);
        again.Counters.TokensFromStore.ShouldBe(1);
        File.ReadAllText(store.PathOf(again.IdentityHash)).ShouldContain("token-1");
    }

    [Fact]
    public async Task SharedStore_OtherIdentity_NeverGetsTheToken()
    {
        var store = new MemoryTokenStore();
        var alice = new LoginScript(_time);
        var bob = new LoginScript(_time);
        using var aliceAuth = alice.Create(o => o.Store = store, identity: "alice");
        using var bobAuth = bob.Create(o => o.Store = store, identity: "bob");

        await aliceAuth.GetTokenAsync();
        await bobAuth.GetTokenAsync();

        bob.Calls.ShouldBe(1, "bob's identity hash is another key");
        aliceAuth.IdentityHash.ShouldNotBe(bobAuth.IdentityHash);
    }

    [Fact]
    public async Task SharedStore_AnotherClientRefreshedFirst_TheNewerStoredTokenIsAdopted()
    {
        var store = new MemoryTokenStore();
        var first = new LoginScript(_time);
        var second = new LoginScript(_time);
        using var a = first.Create(o => o.Store = store);
        using var b = second.Create(o => o.Store = store);
        var old = await a.GetTokenAsync();
        await b.GetTokenAsync(); // adopts a's token from the store
        second.Calls.ShouldBe(0);

        var newer = await a.RefreshAsync(old);  // a is told its token was rejected: token-2, stored
        var adopted = await b.RefreshAsync(old); // b's copy is the same rejected token

        adopted.Value.ShouldBe(newer.Value);
        second.Calls.ShouldBe(0, "the store already had a newer token than the rejected one");
    }
}
