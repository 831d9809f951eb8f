namespace Salvo.Resilience;

/// <summary>How <see cref="HedgingHandler"/> races a second attempt against a slow first one. Read once, when the handler is created.</summary>
/// <remarks>
/// <para>A call is hedged when hedging is on for it (<see cref="Enabled"/>, or <see cref="SalvoRequestSettings.Hedge"/>),
/// its method is safe (GET, HEAD, OPTIONS, TRACE) and its body, if any, can be sent twice at once. When the first
/// attempt has not answered after the hedge delay, a copy of the request is sent; the first useful answer wins and
/// the other attempt is cancelled and its response disposed.</para>
/// <para>The hedge delay is the <see cref="Percentile"/> of the host's recent successful latencies ("The Tail at
/// Scale", Dean and Barroso, 2013: hedge what runs longer than the 95th percentile), or <see cref="Delay"/> while
/// fewer than <see cref="MinimumSamples"/> are known or when <see cref="Percentile"/> is <see langword="null"/>.</para>
/// <para>The hedge budget caps the extra load: within <see cref="BudgetWindow"/>, a host gets at most
/// <see cref="BudgetRatio"/> hedges per hedgeable call, however slow it gets — a slow server is not sent twice the work.
/// A call the budget refuses asks again after each further delay while its first attempt runs.</para>
/// </remarks>
public sealed class HedgingOptions
{
    /// <summary>The default <see cref="Percentile"/>.</summary>
    /// <value>The value is 0.95.</value>
    public const double DefaultPercentile = 0.95;

    /// <summary>The default <see cref="BudgetRatio"/>.</summary>
    /// <value>The value is 0.05.</value>
    public const double DefaultBudgetRatio = 0.05;

    /// <summary>The default <see cref="WindowSize"/>.</summary>
    /// <value>The value is 128.</value>
    public const int DefaultWindowSize = 128;

    /// <summary>The fewest latencies a host's window holds before its percentile is used instead of <see cref="Delay"/>.</summary>
    /// <value>The value is 20.</value>
    public const int MinimumSamples = 20;

    /// <summary>The default <see cref="MaxHosts"/>.</summary>
    /// <value>The value is 1024.</value>
    public const int DefaultMaxHosts = 1024;

    /// <summary>The default <see cref="Delay"/> (Polly's and Microsoft.Extensions.Http.Resilience's hedging delay).</summary>
    /// <value>The value is 2 seconds.</value>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(2);

    /// <summary>The default <see cref="BudgetWindow"/>.</summary>
    /// <value>The value is 10 seconds.</value>
    public static readonly TimeSpan DefaultBudgetWindow = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether calls are hedged. When <see langword="false"/>, only calls whose <see cref="SalvoRequestSettings.Hedge"/>
    /// is <see langword="true"/> are; a call's <see cref="SalvoRequestSettings.Hedge"/> of <see langword="false"/> always wins.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: hedging spends server capacity, so it is asked for.</value>
    public bool Enabled { get; set; }

    /// <summary>The hedge delay while the host's percentile is not known yet, or always when <see cref="Percentile"/> is <see langword="null"/>.</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan Delay { get; set; } = DefaultDelay;

    /// <summary>
    /// Which percentile of the host's recent successful latencies the hedge waits for (between 0 and 1, e.g. 0.95
    /// for p95); <see langword="null"/> to always wait <see cref="Delay"/>.
    /// </summary>
    /// <value>The default value is 0.95.</value>
    public double? Percentile { get; set; } = DefaultPercentile;

    /// <summary>How many recent successful latencies per host the percentile is taken over (a fixed-size sliding window).</summary>
    /// <value>The default value is 128.</value>
    public int WindowSize { get; set; } = DefaultWindowSize;

    /// <summary>The most hedges per hedgeable call within <see cref="BudgetWindow"/>, per host (more than 0, at most 1).</summary>
    /// <value>The default value is 0.05: at most 5% extra requests.</value>
    public double BudgetRatio { get; set; } = DefaultBudgetRatio;

    /// <summary>The sliding window over which <see cref="BudgetRatio"/> is counted.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan BudgetWindow { get; set; } = DefaultBudgetWindow;

    /// <summary>
    /// The most origins tracked at once. When full, hosts idle for longer than <see cref="BudgetWindow"/> make room;
    /// if none can go, calls to a new origin are not hedged.
    /// </summary>
    /// <value>The default value is 1024.</value>
    public int MaxHosts { get; set; } = DefaultMaxHosts;
}
