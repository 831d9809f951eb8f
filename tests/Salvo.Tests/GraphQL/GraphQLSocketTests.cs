using System.Text.Json;
using Salvo.GraphQL;
using Salvo.Realtime;
using Salvo.Testing;

namespace Salvo.Tests.GraphQL;

/// <summary>
/// The subscription socket against an in-memory server on a fake clock: the protocol's order, keep-alive (ping every
/// interval, a silent server dropped after the pong timeout), the acknowledgement timeout and the reconnect backoff.
/// </summary>
public class GraphQLSocketTests
{
    private sealed record Odds(int Seq);

    private sealed record OddsData(Odds Odds);

    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryWebSocketServer _server = new();
    private readonly List<ConnectionStateChange> _changes = [];
    private int _inits;

    private SalvoClient Client()
    {
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), TimeProvider = _time };
        options.GraphQL.KeepAliveInterval = TimeSpan.FromSeconds(10);
        options.GraphQL.PongTimeout = TimeSpan.FromSeconds(5);
        options.GraphQL.ConnectionAckTimeout = TimeSpan.FromSeconds(3);
        options.GraphQL.Reconnect.BaseDelay = TimeSpan.FromSeconds(1);
        options.GraphQL.Reconnect.Randomizer = () => 0;
        options.GraphQL.ConnectionInitPayload = _ =>
            ValueTask.FromResult<JsonElement?>(JsonSerializer.SerializeToElement(new { token = $"t{Interlocked.Increment(ref _inits)}" }));
        var client = new SalvoClient(_server, options);
        client.GraphQL.StateChanged += (_, change) =>
        {
            lock (_changes)
                _changes.Add(change);
        };
        return client;
    }

    [Fact]
    public async Task Subscribe_SpeaksTheProtocolInOrder_AndAnswersThePing()
    {
        await using var client = Client();
        var events = client.GraphQL.SubscribeAsync<OddsData>("subscription { odds { seq } }").GetAsyncEnumerator(); // ended by the client's disposal
        var first = events.MoveNextAsync().AsTask();

        var server = await _server.NextAsync();
        (await server.ExpectAsync("connection_init")).GetProperty("payload").GetProperty("token").GetString().ShouldBe("t1");
        await server.SendAsync("""{"type":"connection_ack"}""");
        var subscribe = await server.ExpectAsync("subscribe");
        var id = subscribe.GetProperty("id").GetString();
        subscribe.GetProperty("payload").GetProperty("query").GetString().ShouldBe("subscription { odds { seq } }");
        await server.SendAsync("""{"type":"ping"}""");
        await server.ExpectAsync("pong");
        await server.SendAsync(Next(id, 7));

        (await first.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
        events.Current.Odds.Seq.ShouldBe(7);
        await server.SendAsync($$"""{"id":"{{id}}","type":"complete"}""");
        (await events.MoveNextAsync()).ShouldBeFalse();
    }

    [Fact]
    public async Task Subscribe_ClientHasACredentialAndNoPayloadOfItsOwn_ConnectionInitCarriesTheCredential()
    {
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), TimeProvider = _time, Auth = Salvo.Auth.SalvoAuth.Bearer("sekret-1") };
        await using var client = new SalvoClient(_server, options);
        var events = client.GraphQL.SubscribeAsync<OddsData>("subscription { odds { seq } }").GetAsyncEnumerator(); // ended by the client's disposal
        _ = events.MoveNextAsync().AsTask();

        var server = await _server.NextAsync();
        var init = await server.ExpectAsync("connection_init");

        init.GetProperty("payload").GetProperty("Authorization").GetString().ShouldBe("Bearer sekret-1");
    }

    [Fact]
    public async Task AuthPayload_ApiKeyInAHeader_GoesUnderTheHeaderName()
    {
        var payload = await GraphQLSocket.AuthPayloadAsync(Salvo.Auth.SalvoAuth.ApiKey("k-123", "X-Api-Key"), CancellationToken.None);

        payload!.Value.GetProperty("X-Api-Key").GetString().ShouldBe("k-123");
    }

    [Fact]
    public async Task KeepAlive_PingAfterTheInterval_ASilentServerIsDroppedAtThePongTimeoutAndResubscribedAfterTheBackoff()
    {
        await using var client = Client();
        var events = client.GraphQL.SubscribeAsync<OddsData>("subscription { odds { seq } }").GetAsyncEnumerator(); // ended by the client's disposal
        var first = events.MoveNextAsync().AsTask();
        var server = await ConnectAsync();
        var id = (await server.ExpectAsync("subscribe")).GetProperty("id").GetString();

        // The first ping goes out one interval after the connection is up, and nothing answers it: the connection is
        // dropped exactly at the pong timeout. (An answered ping keeping it is the functional tests' job, on a real server.)
        await UntilTimersAsync();
        _time.Advance(TimeSpan.FromSeconds(9.99));
        client.GraphQL.State.ShouldBe(ConnectionState.Connected);
        _time.Advance(TimeSpan.FromMilliseconds(11));
        await server.ExpectAsync("ping");
        await UntilTimersAsync();
        _time.Advance(TimeSpan.FromSeconds(4.99));
        client.GraphQL.State.ShouldBe(ConnectionState.Connected);
        _time.Advance(TimeSpan.FromMilliseconds(11));
        (await server.ReceiveAsync()).ShouldBeNull();
        await UntilAsync(() => client.GraphQL.State == ConnectionState.Reconnecting && _time.ActiveTimers > 0);
        Last().RetryIn.ShouldBe(TimeSpan.FromSeconds(1));

        _time.Advance(TimeSpan.FromSeconds(1.001));
        var again = await ConnectAsync(expectedToken: "t2");
        (await again.ExpectAsync("subscribe")).GetProperty("id").GetString().ShouldBe(id);
        await again.SendAsync(Next(id, 1));
        (await first.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
        _server.Handshakes.ShouldBe(2);
    }

    [Fact]
    public async Task Handshake_NoAckWithinTheTimeout_Reconnects()
    {
        await using var client = Client();
        var events = client.GraphQL.SubscribeAsync<OddsData>("subscription { odds { seq } }").GetAsyncEnumerator(); // ended by the client's disposal
        _ = events.MoveNextAsync().AsTask();

        var silent = await _server.NextAsync();
        await silent.ExpectAsync("connection_init");
        await UntilTimersAsync();
        _time.Advance(TimeSpan.FromSeconds(3.001));

        await UntilAsync(() => client.GraphQL.State == ConnectionState.Reconnecting);
        var error = Last().Error.ShouldBeOfType<SalvoRealtimeException>();
        error.Message.ShouldContain("not acknowledged within 3 s");
        error.IsTransient.ShouldBeTrue();
    }

    [Fact]
    public async Task Subscribe_ServerClosesWithAProtocolError_FailsTypedWithoutReconnecting()
    {
        await using var client = Client();
        var consuming = Task.Run(async () =>
        {
            await foreach (var _ in client.GraphQL.SubscribeAsync<OddsData>("subscription { odds { seq } }"))
            {
            }
        });
        var server = await ConnectAsync();
        await server.ExpectAsync("subscribe");

        await server.SendAsync("""{"type":"mystery"}"""); // ignored, as the protocol allows
        await CloseAsync(server, 4400, "Invalid message received");

        var error = await Should.ThrowAsync<SalvoRealtimeException>(() => consuming.WaitAsync(TimeSpan.FromSeconds(10)));
        error.CloseStatus.ShouldBe(4400);
        error.CloseDescription.ShouldBe("Invalid message received");
        error.IsTransient.ShouldBeFalse();
        _server.Handshakes.ShouldBe(1);
    }

    [Fact]
    public async Task Subscribe_AddedWhileReconnecting_IsSentOnceWithTheOthersOnTheNewSocket()
    {
        await using var client = Client();
        var a = client.GraphQL.SubscribeAsync<OddsData>("subscription A { odds { seq } }").GetAsyncEnumerator(); // ended by the client's disposal
        var firstA = a.MoveNextAsync().AsTask();
        var server = await ConnectAsync();
        var idA = (await server.ExpectAsync("subscribe")).GetProperty("id").GetString();
        await CloseAsync(server, 1012, "Service Restart"); // a clean close from a restarting server
        await UntilAsync(() => client.GraphQL.State == ConnectionState.Reconnecting && _time.ActiveTimers > 0);

        var b = client.GraphQL.SubscribeAsync<OddsData>("subscription B { odds { seq } }").GetAsyncEnumerator(); // ended by the client's disposal
        var firstB = b.MoveNextAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(1.001));
        var again = await ConnectAsync(expectedToken: "t2");
        var resent = new[] { await again.ExpectAsync("subscribe"), await again.ExpectAsync("subscribe") };
        await again.SendAsync("""{"type":"ping"}""");
        await again.ExpectAsync("pong"); // nothing else was sent in between: each subscription went out once

        var ids = resent.Select(m => m.GetProperty("id").GetString()).ToList();
        ids.ShouldContain(idA);
        ids.Distinct().Count().ShouldBe(2);
        var idB = ids.Single(i => i != idA);
        await again.SendAsync(Next(idA, 1));
        await again.SendAsync(Next(idB, 2));
        (await firstA.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
        (await firstB.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
        a.Current.Odds.Seq.ShouldBe(1);
        b.Current.Odds.Seq.ShouldBe(2);
    }

    [Fact]
    public async Task Subscribe_CallerStops_SendsCompleteThenClosesTheSocketCleanly()
    {
        await using var client = Client();
        var events = client.GraphQL.SubscribeAsync<OddsData>("subscription { odds { seq } }").GetAsyncEnumerator();
        var first = events.MoveNextAsync().AsTask();
        var server = await ConnectAsync();
        var id = (await server.ExpectAsync("subscribe")).GetProperty("id").GetString();
        await server.SendAsync(Next(id, 1));
        (await first.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();

        var stopping = events.DisposeAsync().AsTask(); // what breaking out of await foreach does

        (await server.ExpectAsync("complete")).GetProperty("id").GetString().ShouldBe(id);
        (await server.ReceiveAsync()).ShouldBeNull();
        server.CloseStatus.ShouldBe(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure);
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        await UntilAsync(() => client.GraphQL.State == ConnectionState.Idle);
    }

    [Fact]
    public async Task Subscribe_LastOneStops_AServerThatNeverAnswersTheCloseIsDroppedAfterTheTimeout()
    {
        await using var client = Client();
        var events = client.GraphQL.SubscribeAsync<OddsData>("subscription { odds { seq } }").GetAsyncEnumerator();
        var first = events.MoveNextAsync().AsTask();
        var server = await ConnectAsync();
        var id = (await server.ExpectAsync("subscribe")).GetProperty("id").GetString();
        await server.SendAsync(Next(id, 1));
        (await first.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
        server.AnswerClose = false;

        await events.DisposeAsync();
        await server.ExpectAsync("complete");
        (await server.ReceiveAsync()).ShouldBeNull();
        await UntilTimersAsync();
        client.GraphQL.State.ShouldBe(ConnectionState.Connected); // still waiting for the server's close frame
        _time.Advance(TimeSpan.FromSeconds(3.001));

        await UntilAsync(() => client.GraphQL.State == ConnectionState.Idle);
    }

    private async Task<InMemoryWebSocketServer.ServerSocket> ConnectAsync(string expectedToken = "t1")
    {
        var server = await _server.NextAsync();
        (await server.ExpectAsync("connection_init")).GetProperty("payload").GetProperty("token").GetString().ShouldBe(expectedToken);
        await server.SendAsync("""{"type":"connection_ack"}""");
        return server;
    }

    private static Task CloseAsync(InMemoryWebSocketServer.ServerSocket server, int code, string reason) => server.CloseAsync(code, reason);

    private static string Next(string? id, int seq) =>
        "{\"id\":\"" + id + "\",\"type\":\"next\",\"payload\":{\"data\":{\"odds\":{\"seq\":" + seq + "}}}}";

    private ConnectionStateChange Last()
    {
        lock (_changes)
            return _changes[^1];
    }

    /// <summary>Waits until the client has armed its next timer (a keep-alive delay, a pong wait, a backoff).</summary>
    private Task UntilTimersAsync() => UntilAsync(() => _time.ActiveTimers > 0);

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            limit.Token.ThrowIfCancellationRequested();
            await Task.Delay(1);
        }
    }
}
