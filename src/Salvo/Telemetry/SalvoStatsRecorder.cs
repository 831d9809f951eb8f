namespace Salvo.Telemetry;

/// <summary>Counts calls and their latencies for <see cref="SalvoStats"/>; lock-free and fixed in size.</summary>
public sealed class SalvoStatsRecorder
{
    private readonly LatencyHistogram _latency = new();
    private readonly long[] _statusClasses = new long[6];
    private long _requests;
    private long _inFlight;
    private long _maxInFlight;
    private long _failed;

    /// <summary>Marks the start of a call.</summary>
    public void OnStart()
    {
        Interlocked.Increment(ref _requests);
        var now = Interlocked.Increment(ref _inFlight);
        var max = Volatile.Read(ref _maxInFlight);
        while (now > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxInFlight, now, max);
            if (seen == max)
                break;
            max = seen;
        }
    }

    /// <summary>Marks a call that received a response.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <param name="elapsed">How long the call took.</param>
    public void OnResponse(int statusCode, TimeSpan elapsed)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _statusClasses[Math.Clamp(statusCode / 100, 0, 5)]);
        _latency.Record(elapsed);
    }

    /// <summary>Marks a call that ended without a response.</summary>
    /// <param name="elapsed">How long the call took.</param>
    public void OnFailure(TimeSpan elapsed)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _failed);
        _latency.Record(elapsed);
    }

    /// <summary>Takes a consistent-enough snapshot (each counter is read atomically).</summary>
    /// <returns>The snapshot.</returns>
    public SalvoStats Snapshot()
    {
        long S(int i) => Volatile.Read(ref _statusClasses[i]);
        var s4 = S(4);
        var s5 = S(5);
        return new SalvoStats(
            Requests: Volatile.Read(ref _requests),
            InFlight: Volatile.Read(ref _inFlight),
            MaxInFlight: Volatile.Read(ref _maxInFlight),
            Succeeded: S(0) + S(1) + S(2) + S(3),
            HttpErrors: s4 + s5,
            Failed: Volatile.Read(ref _failed),
            Status2xx: S(2),
            Status3xx: S(3),
            Status4xx: s4,
            Status5xx: s5,
            P50: _latency.GetPercentile(50),
            P90: _latency.GetPercentile(90),
            P99: _latency.GetPercentile(99),
            Mean: _latency.Mean,
            Max: _latency.Max);
    }
}
