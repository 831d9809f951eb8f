namespace Salvo.ConcurrencyLimiting;

public sealed partial class AdaptiveLimit
{
    // The median of a window is taken over its first samples: enough for a stable median, in memory fixed at creation.
    private const int MaxStoredSamples = 64;
    private readonly int _sampleCount;
    private readonly long[] _samples;
    private TimeSpan _windowStart;
    private int _count;
    private int _stored;
    private int _maxInFlight;

    private void Record(TimeSpan rtt, int inFlight)
    {
        _count++;
        if (_stored < _samples.Length)
            _samples[_stored++] = rtt.Ticks;
        _maxInFlight = Math.Max(_maxInFlight, inFlight);
    }

    private TimeSpan Median()
    {
        var samples = _samples.AsSpan(0, _stored);
        samples.Sort();
        return TimeSpan.FromTicks((samples[(_stored - 1) / 2] + samples[_stored / 2]) / 2);
    }

    private void ResetWindow(TimeSpan now)
    {
        _windowStart = now;
        _count = 0;
        _stored = 0;
        _maxInFlight = 0;
    }
}
