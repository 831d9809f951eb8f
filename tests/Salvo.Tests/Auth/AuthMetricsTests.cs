using System.Diagnostics.Metrics;
using System.Net;
using Salvo.Auth;
using Salvo.Telemetry;
using Salvo.Testing;
using Salvo.Tests.Support;
using static Salvo.Tests.Auth.AuthKit;

namespace Salvo.Tests.Auth;

public sealed class AuthMetricsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = [];

    public AuthMetricsTests()
    {
        _listener.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == SalvoDiagnostics.Name && instrument.Name.StartsWith("salvo.auth.", StringComparison.Ordinal))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
                copy[tag.Key] = tag.Value;
            lock (_measurements)
                _measurements.Add((instrument.Name, value, copy));
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task ReplayAndRefresh_CountedByKindAndOutcome_NoSecretInAnyTag()
    {
        // An identity of this test's own, so measurements from tests running at the same time can be told apart by their token values.
        var login = new LoginScript(_time);
        using var auth = login.Create(identity: "metrics-test");
        var stub = new StubHandler(request => Text(request.Headers.Authorization?.Parameter == "token-1" ? HttpStatusCode.Unauthorized : HttpStatusCode.OK));
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), Auth = auth, TimeProvider = _time };
        await using var client = new SalvoClient(stub, options);

        await client.GetStringAsync("user/balance");

        List<(string Instrument, long Value, Dictionary<string, object?> Tags)> seen;
        lock (_measurements)
            seen = [.. _measurements];
        seen.ShouldContain(m => m.Instrument == SalvoAuthMetrics.TokenRequestsInstrument && (string?)m.Tags["salvo.auth.kind"] == "custom" && (string?)m.Tags["salvo.auth.outcome"] == "success");
        seen.ShouldContain(m => m.Instrument == SalvoAuthMetrics.ReplaysInstrument && (string?)m.Tags["salvo.auth.kind"] == "custom");
        seen.SelectMany(m => m.Tags.Values).Select(v => v as string ?? "").ShouldAllBe(v => !v.StartsWith("token-", StringComparison.Ordinal));
        seen.SelectMany(m => m.Tags.Keys).Distinct().ShouldBeSubsetOf(["salvo.auth.kind", "salvo.auth.outcome"]);
    }
}
