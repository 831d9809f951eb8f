namespace Salvo.Sandbox.Data;

/// <summary>The catalogue the API serves: one balance, the casino games and the sports events, all from one seed.</summary>
internal sealed class SandboxData
{
    /// <summary>The seed used when <see cref="SandboxOptions.Seed"/> is not set, so the data is the same on every run.</summary>
    public const int DefaultSeed = 20_260_101;

    private SandboxData(Balance balance, Game[] games, SportEvent[] events, DateTimeOffset lastModified)
    {
        Balance = balance;
        Games = games;
        Events = events;
        LastModified = lastModified;
    }

    public Balance Balance { get; }

    public IReadOnlyList<Game> Games { get; }

    public IReadOnlyList<SportEvent> Events { get; }

    /// <summary>When the catalogue was generated (server start, whole seconds), for <c>Last-Modified</c>.</summary>
    public DateTimeOffset LastModified { get; }

    public static SandboxData Generate(int seed, int gameCount, int eventCount, DateTimeOffset now)
    {
        var random = new Random(seed);
        var balance = new Balance(
            new Money(Math.Round((decimal)(random.NextDouble() * 1000), 2), "BTC"),
            new Money(Math.Round((decimal)(random.NextDouble() * 5000), 2), "BTC"));
        var games = GameGenerator.Generate(random, gameCount);
        var events = EventGenerator.Generate(random, eventCount);
        var lastModified = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return new SandboxData(balance, games, events, lastModified);
    }
}
