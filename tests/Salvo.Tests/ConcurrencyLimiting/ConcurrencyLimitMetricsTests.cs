using System.Diagnostics.Metrics;
using Salvo.ConcurrencyLimiting;
using Salvo.Telemetry;

namespace Salvo.Tests.ConcurrencyLimiting;

public sealed class ConcurrencyLimitMetricsTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];
    private readonly string _name = $"client-{Guid.NewGuid():N}";

    public ConcurrencyLimitMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SalvoDiagnostics.Name && instrument.Name.StartsWith("salvo.concurrency.", StringComparison.Ordinal))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        _listener.Start();
    }

    [Fact]
    public async Task Gauges_FixedLimit_ReportLimitBoundsInFlightAndQueuedPerHost()
    {
        var options = LimiterTestKit.Fixed(2, maxQueue: 1);
        options.Name = _name;
        using var kit = new LimiterTestKit(options);
        var calls = new[] { kit.SendAsync("a"), kit.SendAsync("b"), kit.SendAsync("c") };
        await Should.ThrowAsync<SalvoThrottledException>(kit.SendAsync("d"));

        _listener.RecordObservableInstruments();

        Value(ConcurrencyLimitMetrics.LimitInstrument).ShouldBe(2);
        Value(ConcurrencyLimitMetrics.MinLimitInstrument).ShouldBe(2);
        Value(ConcurrencyLimitMetrics.MaxLimitInstrument).ShouldBe(2);
        Value(ConcurrencyLimitMetrics.InFlightInstrument).ShouldBe(2);
        Value(ConcurrencyLimitMetrics.QueuedInstrument).ShouldBe(1);
        Mine(ConcurrencyLimitMetrics.MinRttInstrument).ShouldBeEmpty();
        var rejected = Mine(ConcurrencyLimitMetrics.RejectedInstrument).ShouldHaveSingleItem();
        rejected.Value.ShouldBe(1);
        rejected.Tags["salvo.concurrency.reason"].ShouldBe("queue_full");
        var tags = Mine(ConcurrencyLimitMetrics.LimitInstrument).Single().Tags;
        tags["server.address"].ShouldBe("api.test");
        tags["server.port"].ShouldBe(80);

        for (var i = 0; i < 3; i++)
            (await kit.Held.NextAsync()).Respond();
        await Task.WhenAll(calls);
    }

    [Fact]
    public async Task Gauges_AdaptiveLimit_ReportBoundsAndBaseline()
    {
        var options = new ConcurrencyLimitOptions { Mode = ConcurrencyLimitMode.Adaptive, MinLimit = 3, MaxLimit = 99, InitialLimit = 7, Name = _name };
        using var kit = new LimiterTestKit(options);
        for (var i = 0; i < AdaptiveLimitOptions.DefaultSampleCount; i++)
        {
            var call = kit.SendAsync($"r{i}");
            kit.Clock.Advance(TimeSpan.FromMilliseconds(50));
            (await kit.Held.NextAsync()).Respond();
            await call;
        }

        _listener.RecordObservableInstruments();

        Value(ConcurrencyLimitMetrics.LimitInstrument).ShouldBe(7);
        Value(ConcurrencyLimitMetrics.MinLimitInstrument).ShouldBe(3);
        Value(ConcurrencyLimitMetrics.MaxLimitInstrument).ShouldBe(99);
        Value(ConcurrencyLimitMetrics.MinRttInstrument).ShouldBe(0.05, 1e-6);
    }

    [Fact]
    public void Gauges_DisposedHandler_StopsReporting()
    {
        var options = LimiterTestKit.Fixed(2);
        options.Name = _name;
        var kit = new LimiterTestKit(options);
        kit.Handler.Partitions!.For(LimiterTestKit.Get("x")); // creates the host's gate
        kit.Dispose();

        _listener.RecordObservableInstruments();

        Mine(ConcurrencyLimitMetrics.LimitInstrument).ShouldBeEmpty();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dict = new Dictionary<string, object?>();
        foreach (var tag in tags)
            dict[tag.Key] = tag.Value;
        lock (_measurements)
            _measurements.Add((instrument.Name, value, dict));
    }

    private List<(string Instrument, double Value, Dictionary<string, object?> Tags)> Mine(string instrument)
    {
        lock (_measurements)
            return _measurements.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault("salvo.client.name"), _name)).ToList();
    }

    private double Value(string instrument) => Mine(instrument).ShouldHaveSingleItem().Value;
}
