namespace Salvo.ConcurrencyLimiting;

public sealed partial class AdaptiveLimit
{
    private bool _probing;
    private bool _draining;
    private TimeSpan _probeStart;
    private TimeSpan _nextProbe;

    // The first probe pays for connection set-up and cold code; the second, soon after, measures the warm server.
    private const int WindowsUntilWarmProbe = 10;
    private int _windowsUntilProbe = int.MaxValue;
    private int _probesDone;

    // Envoy re-measures its minRTT when the limit has been at the minimum for five consecutive windows.
    private const int StaleWindowsBeforeRebase = 5;
    private int _windowsStale;
    private bool _rebase;

    private void StartProbe(TimeSpan now, bool rebase)
    {
        _probing = true;
        _draining = true;
        _rebase = rebase;
        _probeStart = now;
    }

    private void OnProbeSample(TimeSpan rtt, int inFlight, TimeSpan now)
    {
        if (_draining)
        {
            // Measure only once the requests sent under the full limit have left.
            if (inFlight <= MinLimit)
            {
                _draining = false;
                _probeStart = now;
                ResetWindow(now);
            }
            return;
        }
        if (SentBefore(rtt, now, _probeStart))
            return; // sent while more than the minimum was in flight
        Record(rtt, inFlight);
        if (_count < _sampleCount)
            return;
        var median = Median();
        if (_rebase)
            _baseline.Clear();
        AddBaseline(median, now);
        _rebase = false;
        _windowsStale = 0;
        _lastRtt = median;
        _probing = false;
        _windowsUntilProbe = ++_probesDone == 1 ? WindowsUntilWarmProbe : int.MaxValue;
        if (_probeInterval != Timeout.InfiniteTimeSpan)
            _nextProbe = _probeInterval < TimeSpan.MaxValue - now ? now + _probeInterval : TimeSpan.MaxValue;
        ResetWindow(now);
    }
}
