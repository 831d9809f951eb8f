using Salvo.Concurrency;

namespace Salvo.Cli.Demo;

/// <summary>The Sandbox's StakeAPI-like endpoints, called the slow way and the Salvo way.</summary>
internal sealed class DemoApi(SalvoClient client)
{
    public Task<Balance> BalanceAsync(CancellationToken ct) => client.GetJsonAsync("user/balance", DemoJson.Default.Balance, ct);

    public Task<Game[]> GamesAsync(string? category, CancellationToken ct) =>
        client.GetJsonAsync(category is null ? "casino/games" : $"casino/games?category={category}", DemoJson.Default.GameArray, ct);

    public Task<SportEvent[]> EventsAsync(CancellationToken ct) => client.GetJsonAsync("sports/events", DemoJson.Default.SportEventArray, ct);

    public Task<Game> GameAsync(int n, CancellationToken ct) => client.GetJsonAsync($"casino/games/g-{((n - 1) % 200) + 1:000}", DemoJson.Default.Game, ct);

    public Task<SportEvent> EventAsync(int n, CancellationToken ct) => client.GetJsonAsync($"sports/events/e-{((n - 1) % 100) + 1:000}", DemoJson.Default.SportEvent, ct);

    /// <summary>The seed's dashboard: independent queries, one after another.</summary>
    public async Task DashboardSequentialAsync(int queries, CancellationToken ct)
    {
        for (var i = 0; i < queries; i++)
            await DashboardQuery(i, ct);
    }

    /// <summary>The seed's <c>asyncio.gather</c>: typed, all at once.</summary>
    public async Task DashboardConcurrentAsync(int queries, CancellationToken ct)
    {
        if (queries == 5)
        {
            // The shape users write: five typed results in one line.
            var (balance, games, events, slots, first) = await Concurrently.All(
                BalanceAsync(ct), GamesAsync(null, ct), EventsAsync(ct), GamesAsync("slots", ct), EventAsync(1, ct));
            _ = (balance, games, events, slots, first);
            return;
        }
        await Concurrently.All(Enumerable.Range(0, queries).Select(i => DashboardQuery(i, ct)));
    }

    public async Task GamesSequentialAsync(int count, CancellationToken ct)
    {
        for (var i = 1; i <= count; i++)
            await GameAsync(i, ct);
    }

    public Task GamesConcurrentAsync(int count, CancellationToken ct) =>
        Enumerable.Range(1, count).ForEachConcurrentAsync(async (i, token) => await GameAsync(i, token), count, ct);

    public async Task EventsSequentialAsync(int count, CancellationToken ct)
    {
        for (var i = 1; i <= count; i++)
            await EventAsync(i, ct);
    }

    public Task EventsConcurrentAsync(int count, CancellationToken ct) =>
        Enumerable.Range(1, count).ForEachConcurrentAsync(async (i, token) => await EventAsync(i, token), count, ct);

    private async Task<bool> DashboardQuery(int i, CancellationToken ct)
    {
        switch (i % 5)
        {
            case 0: await BalanceAsync(ct); break;
            case 1: await GamesAsync(null, ct); break;
            case 2: await EventsAsync(ct); break;
            case 3: await GamesAsync("slots", ct); break;
            default: await EventAsync((i % 100) + 1, ct); break;
        }
        return true;
    }
}
