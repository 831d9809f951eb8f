namespace Salvo.ConcurrencyLimiting;

/// <summary>The tuning of <see cref="AdaptiveLimit"/>. The defaults suit APIs with latencies from a few milliseconds to seconds.</summary>
/// <remarks>
/// The algorithm: requests are grouped in sample windows (at least <see cref="SampleCount"/> requests and one round trip);
/// each window's median round trip is compared with the baseline, the minimum of the medians that probes measured at low
/// concurrency over the last <see cref="MinRttWindow"/>; the limit follows
/// <c>limit × clamp(Tolerance × baseline / median, 0.5, 1) + √limit</c>, smoothed by <see cref="Smoothing"/>; every
/// <see cref="ProbeInterval"/> the concurrency is pinned to the minimum limit for one window to measure the baseline
/// afresh (and at once, replacing the baseline, when latency has held the limit at its floor for five windows); an overload
/// signal multiplies the limit by <see cref="BackoffRatio"/>, at most once per round trip, and starts a new window.
/// </remarks>
public sealed class AdaptiveLimitOptions
{
    /// <summary>The default <see cref="Tolerance"/>.</summary>
    /// <value>The value is 1.1.</value>
    public const double DefaultTolerance = 1.1;

    /// <summary>The default <see cref="Smoothing"/>.</summary>
    /// <value>The value is 0.2.</value>
    public const double DefaultSmoothing = 0.2;

    /// <summary>The default <see cref="BackoffRatio"/>.</summary>
    /// <value>The value is 0.7.</value>
    public const double DefaultBackoffRatio = 0.7;

    /// <summary>The default <see cref="SampleCount"/>.</summary>
    /// <value>The value is 20.</value>
    public const int DefaultSampleCount = 20;

    /// <summary>The default <see cref="MinRttWindow"/>.</summary>
    /// <value>The value is 60 seconds.</value>
    public static readonly TimeSpan DefaultMinRttWindow = TimeSpan.FromSeconds(60);

    /// <summary>The default <see cref="ProbeInterval"/>.</summary>
    /// <value>The value is 30 seconds.</value>
    public static readonly TimeSpan DefaultProbeInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How far a window's median round trip may rise above the baseline before the limit shrinks for it, so that the noise
    /// of a median is not mistaken for queueing. At least 1. The queue allowance (√limit) adds its own headroom on top.
    /// </summary>
    /// <value>
    /// The default value is 1.1. Like Envoy, Salvo compares a window's median with medians measured at low concurrency, which
    /// are steady enough for a small margin (Netflix's Gradient2 needs 1.5 because it compares averages). Envoy's default
    /// buffer is 25 %, but the √limit allowance already keeps the limit above the knee: at full use the limit settles where
    /// <c>median / baseline = Tolerance / (1 − 1/√limit)</c>, so a larger tolerance buys no throughput, only queueing. With
    /// 1.25 a server that slows down past 8 in flight and sheds past 16 would be held at 14; with 1.1, at 12.
    /// </value>
    public double Tolerance { get; set; } = DefaultTolerance;

    /// <summary>The weight (0 to 1] of each window's new estimate against the current limit; lower is steadier and slower.</summary>
    /// <value>The default value is 0.2.</value>
    public double Smoothing { get; set; } = DefaultSmoothing;

    /// <summary>
    /// The factor (0 to 1) applied to the limit on an overload signal (503, timeout, service 429), at most once per round
    /// trip.
    /// </summary>
    /// <value>
    /// The default value is 0.7. TCP's 0.5 gives away half the throughput on every signal and swings between the knee and
    /// half of it; Netflix's AIMD uses 0.9, which needs seven round trips of signals to halve, so a server that sheds its excess
    /// at once (as the Sandbox does beyond twice its capacity) keeps being hit: 2.5 % of requests shed against 0.2–0.8 % at 0.7
    /// in Salvo's functional test. At 0.7 two consecutive signals halve the limit, and a limit that overshot to the point where
    /// a server sheds lands back above the point where its latency started to rise.
    /// </value>
    public double BackoffRatio { get; set; } = DefaultBackoffRatio;

    /// <summary>
    /// The fewest completed requests in a sample window (a window also lasts at least one round trip), and the size of a
    /// probe. The median of a window is taken over its first 64 requests (or this many, if more).
    /// </summary>
    /// <value>
    /// The default value is 20: the median of 10 flips between the modes of a lumpy latency distribution (timer-driven servers
    /// have them) and let the limit swing into the Sandbox's shedding point; 20 costs a probe five round trips at four requests.
    /// </value>
    public int SampleCount { get; set; } = DefaultSampleCount;

    /// <summary>
    /// How long a probe's measurement stays a candidate for the baseline. The baseline is a sliding minimum: it drops as soon
    /// as a probe finds the server faster, and rises when the old minimum ages out (or sooner, when latency holds the limit
    /// at its floor for five windows: that re-probe replaces the baseline). Must be at least <see cref="ProbeInterval"/>, so
    /// that the window always holds a measurement.
    /// </summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan MinRttWindow { get; set; } = DefaultMinRttWindow;

    /// <summary>
    /// How often the baseline is measured afresh by pinning the concurrency to the minimum limit for one window. Two probes
    /// happen regardless, at the start (before the limit leaves the minimum) and ten windows later, once connections are warm;
    /// <see cref="Timeout.InfiniteTimeSpan"/> keeps it at those.
    /// </summary>
    /// <value>
    /// The default value is 30 seconds. One probe costs a drain and <see cref="SampleCount"/> / minimum limit round trips at
    /// the minimum (five with the defaults): about 0.6 % of the time at a 30 ms round trip.
    /// </value>
    public TimeSpan ProbeInterval { get; set; } = DefaultProbeInterval;

    internal AdaptiveLimitOptions Clone() => (AdaptiveLimitOptions)MemberwiseClone();
}
