using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Salvo.Realtime;
using Salvo.Sandbox;

namespace Salvo.FunctionalTests.Realtime;

/// <summary>Server-sent events, WebSocket JSON and polling against the Sandbox's live feed on 127.0.0.1:0, with the stream cut mid-way.</summary>
public sealed class SandboxStreamTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private SandboxServer _sandbox = null!;

    public async Task InitializeAsync() =>
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { Seed = 3, FeedInterval = TimeSpan.FromMilliseconds(5) });

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private SalvoClient Client()
    {
        var options = new SalvoClientOptions { BaseAddress = _sandbox.BaseAddress };
        options.Realtime.Reconnect.BaseDelay = TimeSpan.FromMilliseconds(20);
        options.Realtime.Reconnect.MaxDelay = TimeSpan.FromMilliseconds(100);
        return new SalvoClient(options);
    }

    private async Task DropStreamsAsync(SalvoClient client)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "_sandbox/feed/drop"));
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task ServerSentEvents_StreamCutMidway_ResumesWithLastEventIdWithoutDuplicatesOrGaps()
    {
        await using var client = Client();
        var connected = 0;
        client.Realtime.StateChanged += (_, change) =>
        {
            if (change.State == ConnectionState.Connected)
                Interlocked.Increment(ref connected);
        };
        using var timeout = new CancellationTokenSource(Limit);
        var received = new List<SseEvent<PriceUpdate>>();

        await foreach (var e in client.Realtime.ServerSentEventsAsync<PriceUpdate>("feed/odds/stream", timeout.Token))
        {
            received.Add(e);
            if (received.Count == 20)
                await DropStreamsAsync(client); // updates keep coming while the client is away: the buffer must replay them
            if (received.Count == 80)
                break;
        }

        var seqs = received.Select(e => e.Data.Seq).ToList();
        for (var i = 1; i < seqs.Count; i++)
            seqs[i].ShouldBe(seqs[i - 1] + 1, $"update {i} follows {seqs[i - 1]}");
        received.ShouldAllBe(e => e.Id == e.Data.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture) && e.EventType == "odds");
        connected.ShouldBe(2);
        (await client.GetJsonAsync<FeedCounters>("_sandbox/feed")).StreamConnections.ShouldBe(2);
    }

    [Fact]
    public async Task ServerSentEvents_StartingAfterAnId_ReplaysFromTheBuffer()
    {
        await using var client = Client();
        var first = (await client.GetJsonAsync<FeedPage>("feed/odds")).Last;
        using var timeout = new CancellationTokenSource(Limit);

        var next = await client.Realtime.ServerSentEventsAsync<PriceUpdate>("feed/odds/stream", first.ToString(System.Globalization.CultureInfo.InvariantCulture), timeout.Token)
            .FirstAsync(timeout.Token);

        next.Data.Seq.ShouldBe(first + 1);
    }

    [Fact]
    public async Task ServerSentEvents_NotFound_EndsTypedWithoutReconnecting()
    {
        await using var client = Client();
        var reconnecting = 0;
        client.Realtime.StateChanged += (_, change) =>
        {
            if (change.State == ConnectionState.Reconnecting)
                Interlocked.Increment(ref reconnecting);
        };

        await Should.ThrowAsync<SalvoNotFoundException>(async () =>
        {
            await foreach (var _ in client.Realtime.ServerSentEventsAsync<PriceUpdate>("feed/nothing"))
            {
            }
        });
        reconnecting.ShouldBe(0);
    }

    [Fact]
    public async Task ServerSentEvents_NotAnEventStream_FailsTyped()
    {
        await using var client = Client();

        var error = await Should.ThrowAsync<SalvoRealtimeException>(async () =>
        {
            await foreach (var _ in client.Realtime.ServerSentEventsAsync<PriceUpdate>("feed/odds"))
            {
            }
        });
        error.Message.ShouldContain("text/event-stream");
    }

    [Fact]
    public async Task WebSocketJson_ServerCutsTheSocket_ReconnectsAndKeepsDelivering()
    {
        await using var client = Client();
        var states = new List<ConnectionState>();
        client.Realtime.StateChanged += (_, change) =>
        {
            lock (states)
                states.Add(change.State);
        };
        using var timeout = new CancellationTokenSource(Limit);
        var received = new List<PriceUpdate>();

        await foreach (var update in client.Realtime.WebSocketJsonAsync<PriceUpdate>("feed/odds/ws", timeout.Token))
        {
            received.Add(update);
            if (received.Count == 10)
                await DropStreamsAsync(client);
            if (received.Count == 30)
                break;
        }

        received.Select(u => u.Seq).ShouldBeInOrder(SortDirection.Ascending);
        received.Select(u => u.Seq).Distinct().Count().ShouldBe(30);
        lock (states)
            states.ShouldBe([ConnectionState.Connecting, ConnectionState.Connected, ConnectionState.Reconnecting, ConnectionState.Connected, ConnectionState.Closed]);
        await Eventually(async () => (await client.GetJsonAsync<FeedCounters>("_sandbox/feed")).Subscribers == 0, "the server saw the clean close");
    }

    [Fact]
    public async Task WebSocketJson_NotFound_FailsTypedWithoutReconnecting()
    {
        await using var client = Client();
        var reconnecting = 0;
        client.Realtime.StateChanged += (_, change) => reconnecting += change.State == ConnectionState.Reconnecting ? 1 : 0;

        var error = await Should.ThrowAsync<SalvoRealtimeException>(async () =>
        {
            await foreach (var _ in client.Realtime.WebSocketJsonAsync<PriceUpdate>("feed/nothing"))
            {
            }
        });

        error.Message.ShouldContain("404");
        error.IsTransient.ShouldBeFalse();
        reconnecting.ShouldBe(0);
    }

    [Fact]
    public async Task Streams_ClientFromDependencyInjection_GoThroughTheFactorysPipeline()
    {
        var services = new ServiceCollection();
        services.AddSalvoClient("feed", o => o.BaseAddress = _sandbox.BaseAddress);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredKeyedService<SalvoClient>("feed");
        using var timeout = new CancellationTokenSource(Limit);

        var fromSocket = await client.Realtime.WebSocketJsonAsync<PriceUpdate>("feed/odds/ws", timeout.Token).FirstAsync(timeout.Token);
        var fromEvents = await client.Realtime.ServerSentEventsAsync<PriceUpdate>("feed/odds/stream", timeout.Token).FirstAsync(timeout.Token);

        fromSocket.Seq.ShouldBeGreaterThan(0);
        fromEvents.Data.Seq.ShouldBeGreaterThan(0);
        client.Stats.Requests.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task Streams_AuthRequired_CarryTheClientsAuthorizationAndFailTypedWithout()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TokenLifetime = TimeSpan.FromMinutes(5), FeedInterval = TimeSpan.FromMilliseconds(5) });
        var authorized = new SalvoClientOptions { BaseAddress = sandbox.BaseAddress };
        authorized.DefaultHeaders["Authorization"] = "Bearer " + sandbox.IssueToken();
        await using var withToken = new SalvoClient(authorized);
        await using var without = new SalvoClient(new SalvoClientOptions { BaseAddress = sandbox.BaseAddress });
        using var timeout = new CancellationTokenSource(Limit);

        (await withToken.Realtime.WebSocketJsonAsync<PriceUpdate>("feed/odds/ws", timeout.Token).FirstAsync(timeout.Token)).Seq.ShouldBeGreaterThan(0);
        (await withToken.Realtime.ServerSentEventsAsync<PriceUpdate>("feed/odds/stream", timeout.Token).FirstAsync(timeout.Token)).Data.Seq.ShouldBeGreaterThan(0);
        await Should.ThrowAsync<SalvoUnauthorizedException>(async () => await without.Realtime.ServerSentEventsAsync<PriceUpdate>("feed/odds/stream", timeout.Token).FirstAsync(timeout.Token));
        var refused = await Should.ThrowAsync<SalvoRealtimeException>(async () => await without.Realtime.WebSocketJsonAsync<PriceUpdate>("feed/odds/ws", timeout.Token).FirstAsync(timeout.Token));
        refused.Message.ShouldContain("401");
        refused.Message.ShouldNotContain("Bearer");
    }

    [Fact]
    public async Task Polling_AfterASequenceNumber_ReturnsEveryLaterUpdateOnce()
    {
        await using var client = Client();
        var start = (await client.GetJsonAsync<FeedPage>("feed/odds")).Last;
        await Eventually(async () => (await client.GetJsonAsync<FeedPage>("feed/odds")).Last >= start + 10, "ten more updates");

        var page = await client.GetJsonAsync<FeedPage>($"feed/odds?after={start}");

        page.Updates.Select(u => u.Seq).ShouldBe(Enumerable.Range(1, (int)(page.Last - start)).Select(i => start + i));
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
                throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(5);
        }
    }
}
