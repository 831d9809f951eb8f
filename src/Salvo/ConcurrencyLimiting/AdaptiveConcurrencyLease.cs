using System.Threading.RateLimiting;

namespace Salvo.ConcurrencyLimiting;

/// <summary>
/// One request's permit from an <see cref="AdaptiveConcurrencyLimiter"/>. Disposing it frees the permit and reports the
/// request to the limit: its round trip (acquire to dispose) and <see cref="Outcome"/>.
/// </summary>
public sealed class AdaptiveConcurrencyLease : RateLimitLease
{
    private static readonly string[] NoMetadata = [];
    private static readonly string[] RetryAfterOnly = [MetadataName.RetryAfter.Name];
    private readonly long _start;
    private readonly TimeSpan? _retryAfter;
    private ConcurrencyGate? _gate;

    internal AdaptiveConcurrencyLease(ConcurrencyGate? gate, long start, TimeSpan? retryAfter)
    {
        _gate = gate;
        _start = start;
        _retryAfter = retryAfter;
        IsAcquired = gate is not null;
    }

    /// <inheritdoc />
    public override bool IsAcquired { get; }

    /// <summary>What the request told about the server's load; reported when the lease is disposed.</summary>
    /// <value>The default value is <see cref="ConcurrencyOutcome.Completed"/>: the round trip is a latency sample.</value>
    public ConcurrencyOutcome Outcome { get; set; } = ConcurrencyOutcome.Completed;

    /// <inheritdoc />
    /// <remarks>A failed lease carries <see cref="MetadataName.RetryAfter"/> once the limiter has seen a round trip.</remarks>
    public override IEnumerable<string> MetadataNames => _retryAfter is null ? NoMetadata : RetryAfterOnly;

    /// <inheritdoc />
    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (_retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
        {
            metadata = wait;
            return true;
        }
        metadata = null;
        return false;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // Exactly once, even when disposed twice or from two threads.
        Interlocked.Exchange(ref _gate, null)?.Exit(_start, Outcome);
        base.Dispose(disposing);
    }
}
