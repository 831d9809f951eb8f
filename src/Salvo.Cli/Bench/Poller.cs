namespace Salvo.Cli.Bench;

/// <summary>The polling side: <c>GET /feed/odds?after=N</c> at a fixed cadence, each new update's delay recorded.</summary>
internal sealed class Poller(SalvoClient client, long start, TimeSpan interval)
{
    public long LastSeen { get; private set; } = start;

    public long Requests { get; private set; }

    public List<double> Delays { get; } = [];

    /// <summary>Polls every interval for <paramref name="duration"/> (a bounded number of ticks); the last poll closes the window.</summary>
    public async Task RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var ticks = (long)Math.Ceiling(duration / interval);
        using var timer = new PeriodicTimer(interval);
        for (var i = 0; i < ticks && await timer.WaitForNextTickAsync(cancellationToken); i++)
            await PollAsync(cancellationToken);
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var page = await client.GetJsonAsync($"feed/odds?after={LastSeen}", RealtimeJson.Default.FeedPage, cancellationToken);
        Requests++;
        foreach (var update in page.Updates)
        {
            if (update.Seq > LastSeen)
                Delays.Add(RealtimeComparison.DelayMs(update));
        }
        LastSeen = Math.Max(LastSeen, page.Last);
    }
}
