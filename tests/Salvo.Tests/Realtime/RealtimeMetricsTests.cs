using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Salvo.Realtime;
using Salvo.Telemetry;
using Salvo.Testing;
using Salvo.Tests.Support;

namespace Salvo.Tests.Realtime;

public sealed class RealtimeMetricsTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = [];
    private readonly string _host = $"metrics-{Guid.NewGuid():N}.test";

    public RealtimeMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SalvoDiagnostics.Name && instrument.Name.StartsWith("salvo.stream.", StringComparison.Ordinal))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
                map[tag.Key] = tag.Value;
            lock (_measurements)
                _measurements.Add((instrument.Name, value, map));
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task ServerSentEvents_ConnectFailureThenSuccess_CountsOneReconnectAndOneConnectionTaggedByKindAndServer()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        var stub = new StubHandler(_ => Interlocked.Increment(ref calls) == 1
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "refused")
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("data: 1\n\n", Encoding.UTF8, "text/event-stream") });
        var options = new SalvoClientOptions { BaseAddress = new Uri($"http://{_host}/"), TimeProvider = time };
        options.Retry.Enabled = false;
        await using var client = new SalvoClient(stub, options);
        var reconnecting = 0;
        client.Realtime.StateChanged += (_, c) => reconnecting += c.State == ConnectionState.Reconnecting ? 1 : 0;

        var first = client.Realtime.ServerSentEventsAsync<int>("events?token=s3cret").FirstAsync().AsTask();
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (Volatile.Read(ref reconnecting) == 0 || time.ActiveTimers == 0)
                await Task.Delay(1, limit.Token);
        }
        time.Advance(ReconnectOptions.DefaultMaxDelay);
        (await first.WaitAsync(TimeSpan.FromSeconds(10))).Data.ShouldBe(1);

        List<(string Instrument, long Value, Dictionary<string, object?> Tags)> mine;
        lock (_measurements)
            mine = [.. _measurements.Where(m => Equals(m.Tags.GetValueOrDefault("server.address"), _host))];
        mine.Select(m => m.Instrument).ShouldBe([RealtimeMetrics.ReconnectsInstrument, RealtimeMetrics.ConnectionsInstrument]);
        mine.ShouldAllBe(m => m.Value == 1);
        var tags = mine[1].Tags;
        tags[RealtimeMetrics.KindTag].ShouldBe("sse");
        tags["server.port"].ShouldBe(80);
        tags.Count.ShouldBe(3); // no path, query or token
    }
}
