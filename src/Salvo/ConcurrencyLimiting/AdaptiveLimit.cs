namespace Salvo.ConcurrencyLimiting;

/// <summary>
/// The adaptive concurrency algorithm on its own: feed it each finished request with <see cref="OnSample"/> and read the
/// new <see cref="Limit"/>. Pure and deterministic (no randomness, no timers: time comes from the <see cref="TimeProvider"/>
/// at each sample), and not thread-safe — its owner serialises the calls.
/// </summary>
/// <remarks>
/// <para><b>Latency gradient</b> (Netflix concurrency-limits' Gradient, Envoy's adaptive concurrency). Completed requests
/// are grouped in sample windows of at least <see cref="AdaptiveLimitOptions.SampleCount"/> requests and one round trip.
/// At the end of a window its median round trip is compared with the baseline round trip and
/// <c>limit ← limit × (1 − s) + s × (limit × clamp(tolerance × baseline / median, 0.5, 1) + √limit)</c>.
/// At the baseline the limit grows by <c>s × √limit</c> per window (√limit is the queue allowance); as queueing
/// stretches the round trip past the tolerance it shrinks, and it settles where the two balance, at
/// <c>median / baseline = tolerance / (1 − 1/√limit)</c>: above a server's knee, below the point where it sheds (see
/// docs/concurrency-limits.md). Medians, not averages
/// (as Envoy): a few slow requests or cold connections must not read as queueing.</para>
/// <para><b>Baseline.</b> The minimum, over a sliding <see cref="AdaptiveLimitOptions.MinRttWindow"/>, of the medians
/// measured by probes, without load. A minimum over every window would slowly take queueing for the norm and, being the
/// minimum of many noisy medians, sit below the true one and hold a healthy server's limit down.</para>
/// <para><b>Probing.</b> The first window runs at <see cref="MinLimit"/>; so does a second one ten windows later (the
/// first paid for new connections and cold code), and one every <see cref="AdaptiveLimitOptions.ProbeInterval"/> after
/// that. The limit is pinned to the minimum until the requests in flight have drained to it, then one window of requests
/// sent at that concurrency measures the unloaded round trip, which enters the baseline, and the learned limit is restored.
/// As older measurements slide out of the window the baseline can rise, so a server that became slower for good is not
/// mistaken for an overloaded one for longer than the window (and usually far less: see the stale baseline).</para>
/// <para><b>Stale baseline.</b> When the limit has sat at <see cref="MinLimit"/> for five windows in a row and their
/// medians are still above the tolerance, the client is not what queues (it sends no more than a probe does): the server
/// became slower for good, or others load it. As Envoy does in that case, a probe starts at once, and its measurement
/// replaces the baseline instead of joining the sliding minimum, so a slower server costs seconds at the floor rather than a
/// whole <see cref="AdaptiveLimitOptions.MinRttWindow"/>.</para>
/// <para><b>Bounded growth.</b> The limit never grows while a window used less than half of it (unused headroom is no
/// evidence that more would be fine), never by more than <c>s × √limit</c> per window, and stays in
/// [<see cref="MinLimit"/>, <see cref="MaxLimit"/>].</para>
/// <para><b>Loss.</b> Unlike Gradient2, which ignores drops, an overload signal (<c>dropped</c>: a 503, a timeout, a
/// service 429) multiplies the limit by <see cref="AdaptiveLimitOptions.BackoffRatio"/> — once per round trip: a drop of a
/// request sent before the last decrease belongs to the same episode and is not counted again. Drops are not latency
/// samples (a shed 503 is fast, a timeout's duration is the timeout's), and a decrease starts a new sample window, so the
/// next gradient step judges the lowered limit rather than the one the drop condemned.</para>
/// </remarks>
public sealed partial class AdaptiveLimit
{
    private readonly TimeProvider _timeProvider;
    private readonly long _origin;
    private readonly double _tolerance;
    private readonly double _smoothing;
    private readonly double _backoffRatio;
    private readonly TimeSpan _probeInterval;
    private readonly SlidingMinimum _baseline;
    private readonly TimeSpan _slack;
    private TimeSpan? _lastBaseline;
    private TimeSpan _lastRtt;
    private TimeSpan? _lastDecrease;
    private double _estimate;

    /// <summary>Creates the algorithm; it starts by probing its baseline at <paramref name="minLimit"/>.</summary>
    /// <param name="minLimit">The floor of the limit and the probing concurrency; at least 1.</param>
    /// <param name="maxLimit">The ceiling of the limit; at least <paramref name="minLimit"/>.</param>
    /// <param name="initialLimit">The limit after the first probe; between the two.</param>
    /// <param name="options">The tuning; <see langword="null"/> for the defaults. Read once.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">A value is out of range (the message lists every problem).</exception>
    public AdaptiveLimit(int minLimit, int maxLimit, int initialLimit, AdaptiveLimitOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new AdaptiveLimitOptions();
        var failures = new List<string>();
        ConcurrencyLimitOptionsValidator.CheckBounds(failures, minLimit, maxLimit, initialLimit);
        ConcurrencyLimitOptionsValidator.CheckAdaptive(failures, options);
        if (failures.Count > 0)
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        MinLimit = minLimit;
        MaxLimit = maxLimit;
        _estimate = initialLimit;
        _tolerance = options.Tolerance;
        _smoothing = options.Smoothing;
        _backoffRatio = options.BackoffRatio;
        _sampleCount = options.SampleCount;
        _samples = new long[Math.Max(MaxStoredSamples, options.SampleCount)];
        _probeInterval = options.ProbeInterval;
        _baseline = new SlidingMinimum(options.MinRttWindow);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _origin = _timeProvider.GetTimestamp();
        // Timestamps are whole units of the provider's frequency: "sent before t" compares a measured round trip with a
        // difference of such timestamps, each rounded, so allow one unit of error either way.
        _slack = TimeSpan.FromTicks((TimeSpan.TicksPerSecond / _timeProvider.TimestampFrequency) + 2);
        // Nothing is in flight yet, so the first window measures the baseline without draining.
        _probing = true;
    }

    /// <summary>The floor of the limit, and the concurrency at which the baseline is probed.</summary>
    public int MinLimit { get; }

    /// <summary>The ceiling of the limit.</summary>
    public int MaxLimit { get; }

    /// <summary>The number of requests that may be in flight now: <see cref="MinLimit"/> while probing.</summary>
    public int Limit => _probing ? MinLimit : Math.Clamp((int)_estimate, MinLimit, MaxLimit);

    /// <summary>The limit the algorithm has learned (restored when a probe ends), with its fraction.</summary>
    public double Estimate => _estimate;

    /// <summary>The baseline round trip (see the remarks); <see langword="null"/> before the first probe has ended.</summary>
    public TimeSpan? MinRtt => Baseline(Now());

    /// <summary>The median round trip of the last completed window; <see langword="null"/> before the first.</summary>
    public TimeSpan? LastRtt => _lastRtt > TimeSpan.Zero ? _lastRtt : null;

    /// <summary>Whether the limit is pinned to <see cref="MinLimit"/> to measure the baseline.</summary>
    public bool IsProbing => _probing;

    /// <summary>The clock the algorithm reads.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Records one finished request and returns the new <see cref="Limit"/>.</summary>
    /// <param name="rtt">The request's round trip, from the moment it got its slot to its response (or failure).</param>
    /// <param name="inFlight">The requests in flight when it finished, itself included.</param>
    /// <param name="dropped">
    /// <see langword="true"/> for an overload signal (503, timeout, service 429); requests that say nothing about the
    /// server's load (the caller cancelled, a quota 429) should not be reported at all.
    /// </param>
    /// <returns>The limit to apply from now on.</returns>
    public int OnSample(TimeSpan rtt, int inFlight, bool dropped)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rtt, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(inFlight);
        var now = Now();
        if (dropped)
            OnDrop(rtt, now);
        else if (_probing)
            OnProbeSample(rtt, inFlight, now);
        else
            OnWindowSample(rtt, inFlight, now);
        return Limit;
    }

    private void OnWindowSample(TimeSpan rtt, int inFlight, TimeSpan now)
    {
        Record(rtt, inFlight);
        // A window lasts at least one round trip, so a change of the limit is seen in full before the next one.
        if (_count < _sampleCount || now - _windowStart < _lastRtt)
            return;
        var median = Median();
        var baseline = Baseline(now) ?? median;
        var gradient = median.Ticks == 0 ? 1 : Math.Clamp(_tolerance * baseline.Ticks / median.Ticks, 0.5, 1.0);
        var target = (_estimate * gradient) + Math.Sqrt(_estimate);
        if (target > _estimate && _maxInFlight < _estimate / 2)
            target = _estimate;
        SetEstimate((_estimate * (1 - _smoothing)) + (target * _smoothing));
        _lastRtt = median;
        ResetWindow(now);
        // At the floor and still slower than the baseline: at this concurrency we are not the queue, so the baseline is stale.
        _windowsStale = Limit == MinLimit && gradient < 1 ? _windowsStale + 1 : 0;
        if (_windowsStale >= StaleWindowsBeforeRebase)
            StartProbe(now, rebase: true);
        else if (--_windowsUntilProbe <= 0 || (_probeInterval != Timeout.InfiniteTimeSpan && now >= _nextProbe))
            StartProbe(now, rebase: false);
    }

    private void OnDrop(TimeSpan rtt, TimeSpan now)
    {
        // Sent before the last decrease: the same overload episode, already answered.
        if (_lastDecrease is { } last && SentBefore(rtt, now, last))
            return;
        _lastDecrease = now;
        SetEstimate(_estimate * _backoffRatio);
        // The window so far measured the concurrency this drop condemns: judged at its close, its slow samples would cut
        // the limit a second time, or its fast ones (a server that sheds without slowing down) undo part of the backoff.
        // A probe keeps its samples: they were all sent at the minimum, which the drop does not change.
        if (!_probing)
            ResetWindow(now);
    }

    private void AddBaseline(TimeSpan rtt, TimeSpan now)
    {
        _baseline.Add(rtt, now);
        _lastBaseline = rtt;
    }

    // The last measurement stands in when every one has slid out (a quiet spell longer than the window).
    private TimeSpan? Baseline(TimeSpan now) => _baseline.Minimum(now) ?? _lastBaseline;

    /// <summary>Whether a request that finished <paramref name="now"/> after <paramref name="rtt"/> was sent before <paramref name="moment"/>.</summary>
    private bool SentBefore(TimeSpan rtt, TimeSpan now, TimeSpan moment) => rtt > now - moment + _slack;

    private void SetEstimate(double estimate) => _estimate = Math.Clamp(estimate, MinLimit, MaxLimit);

    private TimeSpan Now() => _timeProvider.GetElapsedTime(_origin);
}
