namespace Salvo.RateLimiting;

/// <summary>
/// What one response said about rate limits, parsed outside the partition's lock and applied under it. One instance per
/// thread is reused (parse and apply run synchronously, with no await between), so reading headers allocates nothing.
/// </summary>
internal sealed class HeaderReport
{
    private const int MaxItems = 32;

    [ThreadStatic]
    private static HeaderReport? t_current;

    private Window[] _items = new Window[8];

    /// <summary>How many windows were reported.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the response was a 429.</summary>
    public bool Is429 { get; set; }

    /// <summary>A 429's <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>A 429's <c>X-Rate-Limit-Type</c>.</summary>
    public RateLimitType LimitType { get; set; }

    /// <summary>Whether any rate-limit header family was present, even if malformed.</summary>
    public bool HasFamily { get; set; }

    public ref Window this[int index] => ref _items[index];

    /// <summary>The calling thread's report, cleared.</summary>
    public static HeaderReport Rent()
    {
        var report = t_current ??= new HeaderReport();
        report.Count = 0;
        report.Is429 = false;
        report.RetryAfter = null;
        report.LimitType = RateLimitType.None;
        report.HasFamily = false;
        return report;
    }

    /// <summary>
    /// Adds a window: <paramref name="lengthSeconds"/> is its length (0 when only its reset is known), <paramref name="used"/>
    /// the permits the server counts as used (-1 unknown), <paramref name="resetSeconds"/> the seconds until it resets (-1
    /// unknown). Values out of range are dropped here, so a malformed header is ignored, never thrown.
    /// </summary>
    public void Add(RateLimitWindowSource source, bool perRoute, long limit, double lengthSeconds, long used, double resetSeconds)
    {
        if (limit <= 0 || limit > int.MaxValue / 2 || Count == MaxItems
            || !double.IsFinite(lengthSeconds) || lengthSeconds < 0 || lengthSeconds > RateLimitWindow.MaxWindow.TotalSeconds
            || !double.IsFinite(resetSeconds))
        {
            return;
        }
        if (Count == _items.Length)
            Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = new Window
        {
            Source = source,
            PerRoute = perRoute,
            Limit = (int)limit,
            LengthSeconds = lengthSeconds,
            Used = used < 0 ? -1 : (int)Math.Min(used, int.MaxValue / 2),
            ResetSeconds = resetSeconds < 0 ? -1 : Math.Min(resetSeconds, RateLimitWindow.MaxWindow.TotalSeconds),
        };
    }

    /// <summary>One reported window.</summary>
    public struct Window
    {
        public RateLimitWindowSource Source;
        public bool PerRoute;
        public int Limit;
        public double LengthSeconds;
        public int Used;
        public double ResetSeconds;
    }
}
