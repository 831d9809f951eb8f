using Salvo.Sandbox.Auth;
using Salvo.Sandbox.Data;
using Salvo.Sandbox.RateLimiting;

namespace Salvo.Sandbox.Runtime;

/// <summary>Everything the middleware and endpoints of one server share.</summary>
internal sealed class SandboxRuntime : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public SandboxRuntime(SandboxOptions options)
    {
        Options = options;
        TimeProvider = options.TimeProvider;
        Started = TimeProvider.GetTimestamp();
        Random = new SandboxRandom(options.Seed);
        Tokens = new TokenStore(TimeProvider, Random);
        Data = SandboxData.Generate(options.Seed ?? SandboxData.DefaultSeed, options.GameCount, options.EventCount, TimeProvider.GetUtcNow());
        Feed = new Feed.LiveFeed(Data.Events, options.FeedInterval, options.Seed, TimeProvider);
    }

    public SandboxOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>The server clock's timestamp at start; 429 bursts are counted from it.</summary>
    public long Started { get; }

    public SandboxRandom Random { get; }

    public StatsCollector Stats { get; } = new();

    public LoadGauge Load { get; } = new();

    public TokenStore Tokens { get; }

    public SandboxRateLimiter RateLimiter { get; } = new();

    public SandboxData Data { get; }

    /// <summary>The live odds feed behind <c>/feed/odds</c>, its event stream and its WebSocket.</summary>
    public Feed.LiveFeed Feed { get; }

    /// <summary>Requests seen per <c>/flaky/{key}</c> key.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> FlakyCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Cancelled when the server starts stopping, to release delayed and hung requests at once.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>How long issued tokens last: <see cref="SandboxOptions.TokenLifetime"/>, or an hour when no auth is required.</summary>
    public TimeSpan TokenLifetime => Options.TokenLifetime ?? TimeSpan.FromHours(1);

    public string IssueToken(string clientId)
    {
        var token = Tokens.Issue(clientId, TokenLifetime);
        Stats.TokenIssued();
        return token;
    }

    /// <summary>Mints a refresh token for <paramref name="clientId"/>, valid for <see cref="SandboxOptions.RefreshTokenLifetime"/>.</summary>
    public string IssueRefreshToken(string clientId) => Tokens.IssueRefresh(clientId, Options.RefreshTokenLifetime);

    public void BeginStopping() => _stopping.Cancel();

    public void Dispose()
    {
        Feed.Dispose();
        _stopping.Dispose();
    }
}
