namespace Salvo.RateLimiting;

/// <summary>
/// One window of a partition (or of a route inside it): how many of its permits this program holds, and how many the
/// server says others hold. Not thread-safe: the partition's lock guards it.
/// </summary>
/// <remarks>
/// <para><b>Sliding</b> (the length is known: configured, IETF <c>w</c>, Riot's seconds). A request holds its permit from
/// admission until <em>its response arrived</em> plus the window's length. The server counted the request at some instant
/// between send and response, so whatever window the server keeps — fixed from first use (Riot, the Sandbox), fixed on
/// the clock, or sliding — every request it still counts is still held here: no assumption about the server's clock,
/// window alignment or latency is needed. The price is at most one round trip per window of throughput.</para>
/// <para><b>Fixed</b> (the length is unknown: GitHub's and the older IETF triple's limit and reset). A request holds its
/// permit from admission until <em>the reset its own response reported</em>: the end of the server window that counted
/// it (rounded up to whole seconds, so never early), whether the server's windows are fixed or sliding. A request whose
/// response said nothing (or that failed) holds its permit for the longest time to a reset seen so far.</para>
/// <para>What the server reports beyond this program's own requests (another program on the same key, or a previous
/// run) is held as <em>others'</em> permits until the reported reset (or one window length, the latest it can be):
/// <c>others = used − own</c>, so own and others together are never less than what the server reports as used, and the
/// budget believed is never more than the server's remaining. (Own counts requests still in flight that the server may
/// not have counted yet; assuming they were is what keeps a batch whose requests arrive out of order from looking like
/// someone else's usage, which would idle the window. The cost: another program's requests that race ours are seen one
/// report late.)</para>
/// </remarks>
internal sealed class LimitWindow
{
    public const long Unknown = long.MinValue;
    private const int Granules = 64;

    private readonly CompletionRing _ring = new();
    private readonly long _granularity;
    private readonly long _tolerance;
    private int _unplaced;
    private int _others;
    private long _othersUntil = Unknown;
    private long _horizon;

    /// <summary>
    /// Creates a window of <paramref name="length"/> (<see cref="TimeSpan.Zero"/> for a fixed window aligned to the
    /// server's reset); <paramref name="inFlight"/> seeds it with the requests its scope has in flight.
    /// </summary>
    public LimitWindow(RateLimitWindowSource source, int limit, double share, TimeSpan length, long frequency, int inFlight)
    {
        Source = source;
        Length = length;
        LengthStamps = Stamps.FromTimeSpan(length, frequency);
        InFlight = inFlight;
        SetLimit(limit, share);
        // Reset values are whole seconds: two resets within a second of each other may name the same server window.
        _tolerance = Stamps.FromTimeSpan(TimeSpan.FromSeconds(1), frequency);
        _granularity = LengthStamps > 0 ? Math.Max(1, LengthStamps / Granules) : Math.Max(1, _tolerance / Granules);
    }

    public RateLimitWindowSource Source { get; }

    /// <summary>The length, or <see cref="TimeSpan.Zero"/> for a fixed window.</summary>
    public TimeSpan Length { get; }

    public long LengthStamps { get; }

    public bool IsFixed => LengthStamps == 0;

    /// <summary>The server's (or the configured) limit.</summary>
    public int Limit { get; private set; }

    /// <summary>This program's share of <see cref="Limit"/>.</summary>
    public int OwnLimit { get; private set; }

    public int InFlight { get; private set; }

    /// <summary>The report sequence that last set the limit, so two reports of one response keep the smaller limit.</summary>
    public int LimitSequence { get; set; }

    /// <summary>Permits held by this program's requests: in flight, and completed but still counted.</summary>
    public int Own => InFlight + _ring.Held + _unplaced;

    /// <summary>Permits the server reports used beyond this program's own.</summary>
    public int Others => _others;

    public bool SetLimit(int limit, double share)
    {
        var own = Math.Max(1, (int)Math.Floor((limit * share) + 1e-9));
        if (limit == Limit && own == OwnLimit)
            return false;
        Limit = limit;
        OwnLimit = own;
        return true;
    }

    /// <summary>Releases what has expired by <paramref name="now"/>.</summary>
    public void Refresh(long now)
    {
        _ring.Expire(now);
        if (_others > 0 && _othersUntil <= now)
            _others = 0;
    }

    public bool HasRoom(int permits) => Own + permits <= OwnLimit && Own + _others + permits <= Limit;

    /// <summary>
    /// A lower bound of when <paramref name="permits"/> fit behind <paramref name="ahead"/> queued permits (after
    /// <see cref="Refresh"/>); exact unless requests in flight must finish first. <see cref="Stamps.Never"/> when they never fit.
    /// </summary>
    public long RoomAt(long now, int permits, int ahead = 0)
    {
        if (permits > OwnLimit)
            return Stamps.Never;
        // A queue longer than the window passes through it in turns of at least one window each.
        var turns = (ahead + permits - 1) / OwnLimit;
        var at = RoomFor(now, ahead + permits - (turns * OwnLimit));
        return at + (turns * Span);
    }

    /// <summary>The longest a completed request is held: the length, or for a fixed window the longest time to a reset seen.</summary>
    private long Span => LengthStamps > 0 ? LengthStamps : Math.Max(_horizon, _tolerance);

    private long RoomFor(long now, int permits)
    {
        var own = Own;
        var needOwn = own + permits - OwnLimit;
        var needTotal = own + _others + permits - Limit;
        if (needOwn <= 0 && needTotal <= 0)
            return now;
        var at = now;
        var freedOwn = 0;
        var freedTotal = 0;
        var othersPending = _others > 0;
        var next = 0;
        while (freedOwn < needOwn || freedTotal < needTotal)
        {
            var ringAt = next < _ring.Count ? _ring.ExpiryAt(next) : long.MaxValue;
            var othersAt = othersPending ? _othersUntil : long.MaxValue;
            if (ringAt == long.MaxValue && othersAt == long.MaxValue)
                return Math.Max(at, now + Span); // only requests in flight are left: none frees before a full window
            if (othersAt <= ringAt)
            {
                at = Math.Max(at, othersAt);
                freedTotal += _others;
                othersPending = false;
            }
            else
            {
                at = Math.Max(at, ringAt);
                var count = _ring.CountAt(next++);
                freedOwn += count;
                freedTotal += count;
            }
        }
        return at;
    }

    public void Admit(int permits) => InFlight += permits;

    /// <summary>
    /// Counts the request whose response taught this window as just completed: the server counted it, though it was
    /// admitted before the window was known (and a family such as the IETF fields may not report this window's usage).
    /// </summary>
    public void SeedReporter(int permits, long now)
    {
        if (LengthStamps > 0)
            _ring.Add(now + LengthStamps, permits, _granularity);
        else
            _unplaced += permits; // placed at the reset by the report that follows
    }

    /// <summary>A request ended; a fixed window places it once the response's reset is known (<see cref="Report"/>, then <see cref="Settle"/>).</summary>
    public void Complete(int permits, long now)
    {
        InFlight = Math.Max(0, InFlight - permits);
        if (LengthStamps > 0)
            _ring.Add(now + LengthStamps, permits, _granularity);
        else
            _unplaced += permits;
    }

    /// <summary>Places completed requests whose response reported no reset for this window: held for the longest reset seen.</summary>
    public void Settle(long now)
    {
        if (_unplaced == 0)
            return;
        _ring.Add(now + Span, _unplaced, _granularity);
        _unplaced = 0;
    }

    /// <summary>Applies what a response reported: <paramref name="used"/> (-1 unknown) and the reset (<see cref="Unknown"/> unknown).</summary>
    public void Report(int used, long resetAt, long now)
    {
        if (LengthStamps > 0)
            ReportSliding(used, resetAt, now);
        else
            ReportFixed(used, resetAt, now);
    }

    /// <summary>When the last permit held now (completed or others') is released; <see cref="Unknown"/> when none is.</summary>
    public long ReleasedAt()
    {
        var at = _ring.Count > 0 ? _ring.LastExpiry : Unknown;
        return _others > 0 ? Math.Max(at, _othersUntil) : at;
    }

    private void ReportSliding(int used, long resetAt, long now)
    {
        var others = used - Own;
        if (used < 0 || others <= 0 || (resetAt != Unknown && resetAt <= now))
            return;
        // Others' requests were counted no later than now, so they leave any window within one length.
        var until = now + LengthStamps;
        if (resetAt != Unknown && resetAt < until)
            until = resetAt;
        if (_others == 0)
        {
            _others = others;
            _othersUntil = until;
        }
        else if (others >= _others)
        {
            _others = others;
            _othersUntil = Math.Max(_othersUntil, until);
        }
    }

    private void ReportFixed(int used, long resetAt, long now)
    {
        if (resetAt == Unknown || resetAt <= now)
            return; // said nothing about the current window: Settle places the request
        _horizon = Math.Max(_horizon, resetAt - now);
        if (_unplaced > 0)
        {
            // Every reset reported is an upper bound of the server's, so the request is counted no longer than this.
            _ring.Add(resetAt, _unplaced, _granularity);
            _unplaced = 0;
        }
        if (_others > 0 && resetAt > _othersUntil + _tolerance)
            _others = 0; // a window that ends clearly later: the server has moved on, and the old window's others with it
        if (used < 0 || (_others > 0 && resetAt < _othersUntil - _tolerance))
            return; // an answer from a window that has ended
        var others = used - (InFlight + _ring.HeldFrom(resetAt - _tolerance));
        if (others <= _others)
            return;
        var sameWindow = _others > 0;
        _others = others;
        _othersUntil = sameWindow ? Math.Max(_othersUntil, resetAt) : resetAt;
    }
}
