namespace Salvo;

/// <summary>
/// Salvo held the call back on the client side — a rate limit, the concurrency limit, or a pause the server
/// asked for — because waiting for room would overrun the time budget (or waiting is switched off). Nothing was
/// sent. <see cref="SalvoException.RetryAfter"/> says when room is expected.
/// </summary>
/// <remarks>
/// This is its own outcome, never a fake 429: a retry layer does not retry it, because the wait it would need
/// is exactly what did not fit in the budget.
/// </remarks>
public sealed class SalvoThrottledException : SalvoException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Which limit held the call back.</param>
    /// <param name="partition">The limit's partition (host, route, or user key; never a secret), if any.</param>
    /// <param name="retryAfter">When room is expected, if known.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoThrottledException(ThrottleReason reason, string? partition, TimeSpan? retryAfter, SalvoErrorContext? context = null)
        : base(BuildMessage(reason, partition, retryAfter, context), null, context)
    {
        Reason = reason;
        Partition = partition;
        RetryAfterValue = retryAfter;
    }

    /// <summary>Which limit held the call back.</summary>
    public ThrottleReason Reason { get; }

    /// <summary>The limit's partition (host, route or user key), if any.</summary>
    public string? Partition { get; }

    /// <inheritdoc />
    public override TimeSpan? RetryAfter => RetryAfterValue;

    /// <inheritdoc />
    /// <remarks>Always <see langword="true"/>: room frees up with time.</remarks>
    public override bool IsTransient => true;

    private TimeSpan? RetryAfterValue { get; }

    private static string BuildMessage(ThrottleReason reason, string? partition, TimeSpan? retryAfter, SalvoErrorContext? context)
    {
        var what = reason switch
        {
            ThrottleReason.RateLimit => "the rate limit",
            ThrottleReason.ConcurrencyLimit => "the concurrency limit",
            _ => "the server's requested pause",
        };
        var where = partition is null ? "" : $" for '{partition}'";
        var when = retryAfter is { } r ? $"; room expected in {r.TotalMilliseconds:0} ms" : "";
        return $"{ErrorText.Call(context)} was held back by {what}{where}, beyond its time budget{when}. Nothing was sent.";
    }
}
