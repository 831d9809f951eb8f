using System.Threading.RateLimiting;

namespace Salvo.RateLimiting;

/// <summary>
/// One request's permits from a <see cref="SalvoRateLimiter"/>, or the reason it got none. Call <see cref="Complete"/>
/// with the request's response, so the limiter learns from its headers; disposing a lease that was not completed
/// means the attempt failed without a response. Either way the request stays counted for its windows.
/// </summary>
public sealed class SalvoRateLimitLease : RateLimitLease
{
    private static readonly string[] NoMetadata = [];
    private static readonly string[] ReasonOnly = [MetadataName.ReasonPhrase.Name];
    private static readonly string[] RetryAfterAndReason = [MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name];
    private readonly Admission _admission;
    private readonly Refusal _refusal;
    private SalvoRateLimiter? _limiter;

    internal SalvoRateLimitLease(SalvoRateLimiter limiter, in Admission admission)
    {
        _limiter = limiter;
        _admission = admission;
        IsAcquired = true;
    }

    internal SalvoRateLimitLease(in Refusal refusal)
    {
        _refusal = refusal;
        Reason = refusal.Reason;
        Partition = refusal.Partition;
    }

    private SalvoRateLimitLease(bool acquired) => IsAcquired = acquired;

    /// <inheritdoc />
    public override bool IsAcquired { get; }

    /// <summary>Why no permit was granted, for a failed lease; <see langword="null"/> for an acquired one or a failed check.</summary>
    public ThrottleReason? Reason { get; }

    /// <summary>The partition that held the request back, for a failed lease.</summary>
    public string? Partition { get; }

    /// <inheritdoc />
    public override IEnumerable<string> MetadataNames =>
        IsAcquired || Partition is null ? NoMetadata : _refusal.RetryAfter is null ? ReasonOnly : RetryAfterAndReason;

    internal static SalvoRateLimitLease Empty { get; } = new(acquired: true);

    internal static SalvoRateLimitLease EmptyFailed { get; } = new(acquired: false);

    /// <summary>
    /// Reports the request's response: its rate-limit headers are learned (a 429 may pause the partition) and the lease
    /// ends. Call it when the response headers arrive; later calls, and disposing afterwards, do nothing.
    /// </summary>
    /// <param name="response">The response to the request this lease admitted.</param>
    public void Complete(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Interlocked.Exchange(ref _limiter, null)?.Complete(_admission, response);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A failed lease carries <see cref="MetadataName.RetryAfter"/> (a <see cref="TimeSpan"/>) when room is expected,
    /// and <see cref="MetadataName.ReasonPhrase"/>.
    /// </remarks>
    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (!IsAcquired && Partition is not null)
        {
            if (metadataName == MetadataName.RetryAfter.Name && _refusal.RetryAfter is { } retryAfter)
            {
                metadata = retryAfter;
                return true;
            }
            if (metadataName == MetadataName.ReasonPhrase.Name)
            {
                metadata = _refusal.Reason == ThrottleReason.ServerPause
                    ? $"'{Partition}' is paused: the server answered 429"
                    : $"The rate limit for '{Partition}' has no room";
                return true;
            }
        }
        metadata = null;
        return false;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // Exactly once, even when disposed twice or from two threads; a lease not completed had no response.
        Interlocked.Exchange(ref _limiter, null)?.Complete(_admission, null);
        base.Dispose(disposing);
    }
}
