using System.Text.Json;
using System.Text.Json.Serialization;
using Salvo.Realtime;
using Salvo.Sandbox;

namespace Salvo.Cli.Bench;

/// <summary>
/// The real-time-versus-polling measurement shared by <c>salvo bench realtime</c> and <c>salvo demo</c>: one in-process
/// Sandbox publishes odds every feed interval; for the same window one client follows them on one stream (server-sent
/// events, or the WebSocket) while another polls <c>/feed/odds?after=N</c> every poll interval. The delay of each update
/// is its receipt time minus the publication time the server put in it (same machine, same clock).
/// </summary>
/// <remarks>
/// Updates published in the window are counted on the server (sequence numbers). The stream must deliver every one of
/// them, so its follower waits (bounded) for the last one after the window closes; the poller makes one last request.
/// </remarks>
internal static class RealtimeComparison
{
    /// <summary>
    /// 30 ms: several updates a second, and not a divisor of round poll intervals (100 ms, 200 ms, 500 ms), so the
    /// publisher's and the poller's timers drift through every phase instead of locking into one that flatters or
    /// penalises polling.
    /// </summary>
    public const string DefaultFeedInterval = "30ms";

    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(5);

    public static async Task<RealtimeResult> RunAsync(RealtimeSettings settings, CancellationToken cancellationToken)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { FeedInterval = settings.FeedInterval }, cancellationToken);
        var options = new SalvoClientOptions { BaseAddress = sandbox.BaseAddress };
        await using var streamClient = new SalvoClient(options);
        await using var pollClient = new SalvoClient(new SalvoClientOptions { BaseAddress = sandbox.BaseAddress });
        var connections = 0;
        streamClient.Realtime.StateChanged += (_, change) =>
        {
            if (change.State == ConnectionState.Connected)
                Interlocked.Increment(ref connections);
        };

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var follower = new StreamFollower(settings.WebSocket
            ? streamClient.Realtime.WebSocketJsonAsync("feed/odds/ws", RealtimeJson.Default.FeedUpdate, stop.Token)
            : Sse(streamClient, stop.Token));
        var following = follower.RunAsync();
        // Warm up both paths (JIT, connections) before the window opens: the stream's first update, one poll.
        await follower.FirstSeen.WaitAsync(Drain, cancellationToken);
        var start = (await pollClient.GetJsonAsync("feed/odds", RealtimeJson.Default.FeedPage, cancellationToken)).Last;
        follower.CountAfter(start);

        var poller = new Poller(pollClient, start, settings.PollInterval);
        await poller.RunAsync(settings.Duration, cancellationToken);
        var end = poller.LastSeen;
        await follower.UntilAsync(end, Drain, cancellationToken);
        await stop.CancelAsync();
        await following;

        var streamDelays = follower.DelaysUpTo(end);
        var pollDelays = poller.Delays;
        return new RealtimeResult(
            Updates: end - start,
            PollingRequests: poller.Requests,
            StreamConnections: Volatile.Read(ref connections),
            PollingDelayP50Ms: Percentile(pollDelays, 0.50),
            StreamDelayP50Ms: Percentile(streamDelays, 0.50),
            PollingDelayP99Ms: Percentile(pollDelays, 0.99),
            StreamDelayP99Ms: Percentile(streamDelays, 0.99),
            StreamReceived: streamDelays.Count,
            PollingReceived: pollDelays.Count,
            Stream: settings.WebSocket ? "websocket" : "sse",
            PollIntervalMs: settings.PollInterval.TotalMilliseconds);
    }

    private static async IAsyncEnumerable<FeedUpdate> Sse(SalvoClient client, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in client.Realtime.ServerSentEventsAsync("feed/odds/stream", RealtimeJson.Default.FeedUpdate, cancellationToken: cancellationToken))
            yield return e.Data;
    }

    /// <summary>Milliseconds from publication to now, on the clock the Sandbox stamps with.</summary>
    internal static double DelayMs(FeedUpdate update) =>
        (TimeProvider.System.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalMilliseconds - update.PublishedAtMs;

    /// <summary>Nearest rank over the samples, rounded to 0.01 ms.</summary>
    private static double Percentile(List<double> samples, double p)
    {
        if (samples.Count == 0)
            return 0;
        var sorted = samples.Order().ToArray();
        return Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 2);
    }
}

/// <summary>What one real-time-versus-polling run measures.</summary>
/// <param name="Duration">How long polling and streaming run side by side.</param>
/// <param name="PollInterval">How often the poller asks.</param>
/// <param name="FeedInterval">How often the Sandbox publishes.</param>
/// <param name="WebSocket">Follow the WebSocket instead of the event stream.</param>
internal sealed record RealtimeSettings(TimeSpan Duration, TimeSpan PollInterval, TimeSpan FeedInterval, bool WebSocket = false);

/// <summary>The numbers of one run; <see cref="Headline"/> is what <c>--json</c> prints.</summary>
internal sealed record RealtimeResult(
    long Updates,
    long PollingRequests,
    int StreamConnections,
    double PollingDelayP50Ms,
    double StreamDelayP50Ms,
    double PollingDelayP99Ms,
    double StreamDelayP99Ms,
    long StreamReceived,
    long PollingReceived,
    string Stream,
    double PollIntervalMs)
{
    public RealtimeHeadline Headline => new(Updates, PollingRequests, StreamConnections, PollingDelayP50Ms, StreamDelayP50Ms);
}

/// <summary>What <c>salvo bench realtime --json</c> prints (and <c>salvo demo --json</c> under <c>realtime</c>).</summary>
internal sealed record RealtimeHeadline(
    [property: JsonPropertyName("updates")] long Updates,
    [property: JsonPropertyName("polling_requests")] long PollingRequests,
    [property: JsonPropertyName("stream_connections")] int StreamConnections,
    [property: JsonPropertyName("polling_delay_p50_ms")] double PollingDelayP50Ms,
    [property: JsonPropertyName("stream_delay_p50_ms")] double StreamDelayP50Ms);

/// <summary>The Sandbox's feed update, as the CLI decodes it.</summary>
internal sealed record FeedUpdate(long Seq, string EventId, double Home, double Draw, double Away, double PublishedAtMs);

/// <summary>The Sandbox's polling page.</summary>
internal sealed record FeedPage(long Last, FeedUpdate[] Updates);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FeedUpdate))]
[JsonSerializable(typeof(FeedPage))]
[JsonSerializable(typeof(RealtimeHeadline))]
internal sealed partial class RealtimeJson : JsonSerializerContext;
