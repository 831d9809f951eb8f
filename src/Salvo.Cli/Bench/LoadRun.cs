using System.Diagnostics;
using System.Diagnostics.Metrics;
using Salvo.ConcurrencyLimiting;
using Salvo.Telemetry;

namespace Salvo.Cli.Bench;

/// <summary>
/// One run of <c>salvo bench adaptive</c>: a <see cref="SalvoClient"/> over a <see cref="ConcurrencyLimitHandler"/> over a
/// fresh <see cref="SocketsHttpHandler"/>, and a fixed number of callers, each sending one request after another until the
/// run's time or request count is used up. Only what completes in the measured part (after the warm-up) is counted.
/// </summary>
internal static class LoadRun
{
    private const string Path = "user/balance";
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);

    public static async Task<RunResult> RunAsync(string name, Uri baseAddress, ConcurrencyLimitOptions limits, AdaptiveBenchSettings settings, CancellationToken ct)
    {
        using var transport = new SocketsHttpHandler();
        using var limiter = new ConcurrencyLimitHandler(limits) { InnerHandler = transport };
        await using var client = new SalvoClient(limiter, ClientOptions(baseAddress));
        using var limit = new LimitGauge();
        var counts = new Counts(settings.Warmup, settings.Warmup + settings.Duration);
        var sent = 0L;
        var clock = Stopwatch.StartNew();

        var callers = new Task[settings.Callers];
        for (var i = 0; i < callers.Length; i++)
            callers[i] = Task.Run(CallAsync, ct);
        var all = Task.WhenAll(callers);
        while (!all.IsCompleted && clock.Elapsed < counts.End)
        {
            await Task.WhenAny(all, Task.Delay(SampleEvery, ct)).ConfigureAwait(false);
            if (clock.Elapsed >= counts.Start)
                limit.Sample();
        }
        await all.ConfigureAwait(false);
        return counts.Result(name, limit.Mean);

        async Task CallAsync()
        {
            while (clock.Elapsed < counts.End && Interlocked.Increment(ref sent) <= settings.Requests)
            {
                bool ok;
                try
                {
                    using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, Path), ct).ConfigureAwait(false);
                    ok = response.IsSuccessStatusCode;
                }
                catch (SalvoException)
                {
                    ok = false; // held back by the limiter past its budget, a timeout, a connection failure
                }
                counts.Add(clock.Elapsed, ok);
            }
        }
    }

    /// <summary>
    /// The client's own resilience is off, so the runs compare limits alone: retries would turn shed 503s into delayed
    /// re-sends, and the circuit breaker would turn them into fast local failures, hiding what the limit let through.
    /// </summary>
    private static SalvoClientOptions ClientOptions(Uri baseAddress)
    {
        var options = new SalvoClientOptions { BaseAddress = baseAddress };
        options.Retry.Enabled = false;
        options.CircuitBreaker.Enabled = false;
        return options;
    }

    /// <summary>What completed inside the measured part of a run.</summary>
    private sealed class Counts(TimeSpan start, TimeSpan end)
    {
        private long _ok;
        private long _failed;
        private long _lastTicks;

        public TimeSpan Start => start;

        public TimeSpan End => end;

        public void Add(TimeSpan at, bool ok)
        {
            if (at < start || at >= end)
                return;
            Interlocked.Increment(ref ok ? ref _ok : ref _failed);
            long last;
            while (at.Ticks > (last = Interlocked.Read(ref _lastTicks)) && Interlocked.CompareExchange(ref _lastTicks, at.Ticks, last) != last)
            {
            }
        }

        public RunResult Result(string name, double? meanLimit)
        {
            // A run cut short by its request count is measured up to its last completion.
            var measured = TimeSpan.FromTicks(Math.Min(end.Ticks, Math.Max(_lastTicks, start.Ticks + 1))) - start;
            var total = _ok + _failed;
            return new RunResult(name, _ok, _failed, _ok / measured.TotalSeconds, total == 0 ? 0 : _failed / (double)total, meanLimit);
        }
    }

    /// <summary>Reads the handler's <see cref="ConcurrencyLimitMetrics.LimitInstrument"/> gauge, the way a metrics exporter would.</summary>
    private sealed class LimitGauge : IDisposable
    {
        private readonly MeterListener _listener = new();
        private double _sum;
        private int _samples;

        public LimitGauge()
        {
            _listener.InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Meter.Name == SalvoDiagnostics.Name && instrument.Name == ConcurrencyLimitMetrics.LimitInstrument)
                    listener.EnableMeasurementEvents(instrument, listener);
            };
            _listener.SetMeasurementEventCallback<int>((_, value, _, _) =>
            {
                _sum += value;
                _samples++;
            });
            _listener.Start();
        }

        /// <summary>The mean of the sampled limits, or <see langword="null"/> when the handler reported none (no limit).</summary>
        public double? Mean => _samples == 0 ? null : _sum / _samples;

        public void Sample() => _listener.RecordObservableInstruments();

        public void Dispose() => _listener.Dispose();
    }
}

/// <summary>One run's outcome: successful responses per second, and the share of calls that failed (503s, throttled, errors).</summary>
internal sealed record RunResult(string Name, long Ok, long Failed, double Rps, double ErrorRate, double? MeanLimit);
