using System.Text.Json;
using System.Threading.Channels;
using Salvo.GraphQL;
using Salvo.Realtime;

namespace Salvo.FunctionalTests.GraphQL;

/// <summary>
/// <see cref="GraphQLClient"/> against a real graphql-yoga + graphql-ws server (Node, 127.0.0.1): typed data and errors over
/// HTTP, subscriptions that survive the server being killed and restarted, a clean close, and a refused connection_init.
/// </summary>
public sealed class GraphQLPeerTests : IAsyncLifetime
{
    private const string OddsSubscription = "subscription($id: ID!) { odds(eventId: $id) { eventId seq price } }";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private GraphQLPeer _peer = null!;
    private int _inits;

    public async Task InitializeAsync() => _peer = await GraphQLPeer.StartAsync();

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private SalvoClient Client(Action<SalvoClientOptions>? configure = null)
    {
        var options = new SalvoClientOptions { BaseAddress = _peer.BaseAddress };
        options.GraphQL.Reconnect.BaseDelay = TimeSpan.FromMilliseconds(50);
        options.GraphQL.Reconnect.MaxDelay = TimeSpan.FromMilliseconds(250);
        // A new token for every connect, as a token provider would hand out after a refresh.
        options.GraphQL.ConnectionInitPayload = _ =>
            ValueTask.FromResult<JsonElement?>(JsonSerializer.SerializeToElement(new { token = $"t{Interlocked.Increment(ref _inits)}" }));
        configure?.Invoke(options);
        return new SalvoClient(options);
    }

    [Fact]
    public async Task QueryAsync_WithVariables_ReturnsTypedData()
    {
        await using var client = Client();

        var data = await client.GraphQL.QueryAsync<HelloData>("query($name: String) { hello(name: $name) }", new { name = "Salvo" });

        data.Hello.ShouldBe("Hello, Salvo!");
    }

    [Fact]
    public async Task QueryAsync_AsGet_ReturnsTypedData()
    {
        await using var client = Client(o => o.GraphQL.UseGetForQueries = true);

        var data = await client.GraphQL.QueryAsync<EventData>(
            new GraphQLRequest("query A { hello } query B($id: ID!) { event(id: $id) { id name } }") { OperationName = "B", Variables = new { id = "e7" } });

        data.Event!.Name.ShouldBe("Event e7");
    }

    [Fact]
    public async Task QueryAsync_FieldError_ThrowsTypedErrorWithPartialData()
    {
        await using var client = Client();

        var error = await Should.ThrowAsync<SalvoGraphQLException>(() =>
            client.GraphQL.QueryAsync<EventData>("query($id: ID!) {\n  event(id: $id) { id name liveScore }\n}", new { id = "e1" }));

        var e = error.Errors.ShouldHaveSingleItem();
        e.Message.ShouldBe("The live score feed is down.");
        e.Path.ShouldBe(["event", "liveScore"]);
        e.Locations.ShouldBe([new GraphQLLocation(2, 28)]);
        e.Code.ShouldBe("FEED_DOWN");
        e.Extensions!.Value.GetProperty("retryable").GetBoolean().ShouldBeTrue();
        var partial = error.GetPartialData<EventData>().ShouldNotBeNull();
        partial.Event.ShouldBe(new EventNode("e1", "Event e1", null));
        error.PartialDataJson!.Value.GetProperty("event").GetProperty("name").GetString().ShouldBe("Event e1");
        error.IsTransient.ShouldBeFalse();
        error.Message.ShouldContain("event.liveScore");
    }

    [Fact]
    public async Task MutateAsync_ReturnsTypedDataAndTypedErrors()
    {
        await using var client = Client();

        var bet = await client.GraphQL.MutateAsync<BetData>("mutation($e: ID!, $s: Float!) { placeBet(eventId: $e, stake: $s) { id eventId stake } }", new { e = "e1", s = 2.5 });
        var error = await Should.ThrowAsync<SalvoGraphQLException>(() =>
            client.GraphQL.MutateAsync<BetData>("mutation { placeBet(eventId: \"e1\", stake: 0) { id } }"));

        bet.PlaceBet.EventId.ShouldBe("e1");
        bet.PlaceBet.Stake.ShouldBe(2.5);
        error.Errors.ShouldHaveSingleItem().Code.ShouldBe("BAD_STAKE");
        error.PartialData.ShouldBeNull();
    }

    [Fact]
    public async Task SubscribeAsync_ServerKilledAndRestarted_ReceivesEveryEventPublishedWhileConnectedWithFreshAuth()
    {
        await using var client = Client();
        var states = new List<ConnectionStateChange>();
        client.GraphQL.StateChanged += (_, change) =>
        {
            lock (states)
                states.Add(change);
        };
        using var timeout = new CancellationTokenSource(Limit);
        var received = Channel.CreateUnbounded<OddsUpdate>();
        var consumer = ConsumeAsync(client.GraphQL.SubscribeAsync<OddsData>(OddsSubscription, new { id = "e1" }, timeout.Token), d => d.Odds, received.Writer);

        await UntilAsync(async () => await _peer.SubscribersAsync() == 1, "subscribed");
        await PublishAsync(client, "e1", 1, 5);
        (await TakeAsync(received.Reader, 5, timeout.Token)).Select(u => u.Seq).ShouldBe([1, 2, 3, 4, 5]);

        await _peer.RestartAsync();
        await UntilAsync(async () => await _peer.SubscribersAsync() == 1, "re-subscribed to the restarted server");
        await PublishAsync(client, "e1", 6, 10);
        (await TakeAsync(received.Reader, 5, timeout.Token)).Select(u => u.Seq).ShouldBe([6, 7, 8, 9, 10]);

        // The restarted server saw one connection_init, carrying a token issued after the first one.
        var init = (await _peer.InitsAsync()).ShouldHaveSingleItem();
        init.GetProperty("token").GetString().ShouldBe($"t{Volatile.Read(ref _inits)}");
        Volatile.Read(ref _inits).ShouldBeGreaterThanOrEqualTo(2);
        lock (states)
        {
            states.Count(s => s.State == ConnectionState.Connected).ShouldBe(2);
            states.ShouldContain(s => s.State == ConnectionState.Reconnecting && s.Error is SalvoRealtimeException);
        }
        await timeout.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => consumer);
    }

    [Fact]
    public async Task SubscribeAsync_CleanServerClose_ReconnectsAndResubscribes()
    {
        await using var client = Client();
        using var timeout = new CancellationTokenSource(Limit);
        var received = Channel.CreateUnbounded<OddsUpdate>();
        _ = ConsumeAsync(client.GraphQL.SubscribeAsync<OddsData>(OddsSubscription, new { id = "e1" }, timeout.Token), d => d.Odds, received.Writer);
        await UntilAsync(async () => await _peer.SubscribersAsync() == 1, "subscribed");

        await _peer.CloseSocketsAsync(); // 1000 Normal Closure: a stream that stopped here would look healthy
        await UntilAsync(async () => (await _peer.InitsAsync()).Length == 2 && await _peer.SubscribersAsync() == 1, "reconnected and re-subscribed");
        await PublishAsync(client, "e1", 1, 3);

        (await TakeAsync(received.Reader, 3, timeout.Token)).Select(u => u.Seq).ShouldBe([1, 2, 3]);
    }

    [Fact]
    public async Task SubscribeAsync_TwoSubscriptions_ShareOneSocketAndGetOnlyTheirEvents()
    {
        await using var client = Client();
        using var timeout = new CancellationTokenSource(Limit);
        var first = Channel.CreateUnbounded<OddsUpdate>();
        var second = Channel.CreateUnbounded<OddsUpdate>();
        _ = ConsumeAsync(client.GraphQL.SubscribeAsync<OddsData>(OddsSubscription, new { id = "e1" }, timeout.Token), d => d.Odds, first.Writer);
        _ = ConsumeAsync(client.GraphQL.SubscribeAsync<OddsData>(OddsSubscription, new { id = "e2" }, timeout.Token), d => d.Odds, second.Writer);
        await UntilAsync(async () => await _peer.SubscribersAsync() == 2, "both subscribed");

        await PublishAsync(client, "e1", 1, 2);
        await PublishAsync(client, "e2", 10, 11);

        (await TakeAsync(first.Reader, 2, timeout.Token)).ShouldAllBe(u => u.EventId == "e1");
        (await TakeAsync(second.Reader, 2, timeout.Token)).ShouldAllBe(u => u.EventId == "e2");
        (await _peer.InitsAsync()).Length.ShouldBe(1);
    }

    [Fact]
    public async Task SubscribeAsync_ServerCompletes_EndsWithoutResubscribing()
    {
        await using var client = Client();
        using var timeout = new CancellationTokenSource(Limit);

        var values = new List<int>();
        await foreach (var d in client.GraphQL.SubscribeAsync<CountdownData>("subscription { countdown(from: 3) }", cancellationToken: timeout.Token))
            values.Add(d.Countdown);

        values.ShouldBe([3, 2, 1]);
        await UntilAsync(() => Task.FromResult(client.GraphQL.State == ConnectionState.Idle), "the socket closed with no subscription left");
        (await _peer.InitsAsync()).Length.ShouldBe(1);
    }

    [Fact]
    public async Task SubscribeAsync_InvalidField_ThrowsTheServersError()
    {
        await using var client = Client();
        using var timeout = new CancellationTokenSource(Limit);

        var error = await Should.ThrowAsync<SalvoGraphQLException>(async () =>
        {
            await foreach (var _ in client.GraphQL.SubscribeAsync<OddsData>("subscription { nope }", cancellationToken: timeout.Token))
            {
            }
        });

        error.Errors.ShouldHaveSingleItem().Message.ShouldContain("nope");
    }

    [Fact]
    public async Task SubscribeAsync_InitRefused_ReconnectsWithAFreshPayload()
    {
        var calls = 0;
        await using var client = Client(o => o.GraphQL.ConnectionInitPayload = _ =>
            ValueTask.FromResult<JsonElement?>(JsonSerializer.SerializeToElement(new { token = Interlocked.Increment(ref calls) == 1 ? "rejected" : "fresh" })));
        var refused = new TaskCompletionSource<ConnectionStateChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.GraphQL.StateChanged += (_, change) =>
        {
            if (change.State == ConnectionState.Reconnecting)
                refused.TrySetResult(change);
        };
        using var timeout = new CancellationTokenSource(Limit);
        var received = Channel.CreateUnbounded<OddsUpdate>();
        _ = ConsumeAsync(client.GraphQL.SubscribeAsync<OddsData>(OddsSubscription, new { id = "e3" }, timeout.Token), d => d.Odds, received.Writer);

        await UntilAsync(async () => await _peer.SubscribersAsync() == 1, "subscribed after the refusal");
        await PublishAsync(client, "e3", 1, 1);

        (await TakeAsync(received.Reader, 1, timeout.Token)).Single().Seq.ShouldBe(1);
        var change = await refused.Task.WaitAsync(timeout.Token);
        change.Error.ShouldBeOfType<SalvoRealtimeException>().CloseStatus.ShouldBe(4403);
        change.Error!.Message.ShouldNotContain("rejected"); // the payload (a credential) never appears in errors
        (await _peer.InitsAsync()).Select(i => i.GetProperty("token").GetString()).ShouldBe(["rejected", "fresh"]);
    }

    [Fact]
    public async Task SubscribeAsync_KeepAlive_PingsAreAnsweredAndTheSocketStays()
    {
        await using var client = Client(o => o.GraphQL.KeepAliveInterval = TimeSpan.FromMilliseconds(50));
        var reconnects = 0;
        client.GraphQL.StateChanged += (_, change) => reconnects += change.State == ConnectionState.Reconnecting ? 1 : 0;
        using var timeout = new CancellationTokenSource(Limit);
        _ = ConsumeAsync(client.GraphQL.SubscribeAsync<OddsData>(OddsSubscription, new { id = "e1" }, timeout.Token), d => d.Odds, Channel.CreateUnbounded<OddsUpdate>().Writer);

        await UntilAsync(async () => await _peer.PingsAsync() >= 5, "five pings");

        Volatile.Read(ref reconnects).ShouldBe(0, "every ping was answered, so the socket was kept");
        (await _peer.InitsAsync()).Length.ShouldBe(1);
        client.GraphQL.State.ShouldBe(ConnectionState.Connected);
    }

    [Fact]
    public async Task SubscribeAsync_ServerStopsAnswering_PongTimeoutReplacesTheSocketAndResubscribes()
    {
        await using var client = Client(o =>
        {
            o.GraphQL.KeepAliveInterval = TimeSpan.FromMilliseconds(100);
            o.GraphQL.PongTimeout = TimeSpan.FromMilliseconds(300);
            o.GraphQL.ConnectionAckTimeout = TimeSpan.FromMilliseconds(500);
        });
        var dropped = new TaskCompletionSource<ConnectionStateChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.GraphQL.StateChanged += (_, change) =>
        {
            if (change.State == ConnectionState.Reconnecting)
                dropped.TrySetResult(change);
        };
        using var timeout = new CancellationTokenSource(Limit);
        var received = Channel.CreateUnbounded<OddsUpdate>();
        _ = ConsumeAsync(client.GraphQL.SubscribeAsync<OddsData>(OddsSubscription, new { id = "e1" }, timeout.Token), d => d.Odds, received.Writer);
        await UntilAsync(async () => await _peer.SubscribersAsync() == 1, "subscribed");

        await _peer.FreezeAsync(); // the TCP connection stays up; only the pong timeout can tell
        try
        {
            (await dropped.Task.WaitAsync(timeout.Token)).Error.ShouldNotBeNull();
        }
        finally
        {
            await _peer.ThawAsync();
        }
        await UntilAsync(async () => await _peer.SubscribersAsync() == 1 && (await _peer.InitsAsync()).Length >= 2, "re-subscribed on a new socket");
        await PublishAsync(client, "e1", 1, 1);

        (await TakeAsync(received.Reader, 1, timeout.Token)).Single().Seq.ShouldBe(1);
    }

    [Fact]
    public async Task DisposeAsync_ActiveSubscription_CompletesItOnTheServerAndEndsTheConsumer()
    {
        var client = Client();
        var received = Channel.CreateUnbounded<OddsUpdate>();
        var consumer = ConsumeAsync(client.GraphQL.SubscribeAsync<OddsData>(OddsSubscription, new { id = "e1" }), d => d.Odds, received.Writer);
        await UntilAsync(async () => await _peer.SubscribersAsync() == 1, "subscribed");

        await client.DisposeAsync();

        await Should.ThrowAsync<ObjectDisposedException>(() => consumer);
        await UntilAsync(async () => await _peer.SubscribersAsync() == 0, "the server dropped the subscription");
    }

    private static async Task ConsumeAsync<T>(IAsyncEnumerable<T> source, Func<T, OddsUpdate> select, ChannelWriter<OddsUpdate> sink)
    {
        await foreach (var item in source)
            await sink.WriteAsync(select(item));
    }

    private static async Task<List<OddsUpdate>> TakeAsync(ChannelReader<OddsUpdate> reader, int count, CancellationToken cancellationToken)
    {
        var items = new List<OddsUpdate>();
        while (items.Count < count)
            items.Add(await reader.ReadAsync(cancellationToken));
        return items;
    }

    private static async Task PublishAsync(SalvoClient client, string eventId, int from, int to)
    {
        for (var seq = from; seq <= to; seq++)
        {
            var data = await client.GraphQL.MutateAsync<PublishData>(
                "mutation($e: ID!, $s: Int!) { publish(eventId: $e, seq: $s, price: 1.5) }", new { e = eventId, s = seq });
            data.Publish.ShouldBe(1);
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
                throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(10);
        }
    }
}
