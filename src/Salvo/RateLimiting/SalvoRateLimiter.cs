using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Salvo.RateLimiting;

/// <summary>
/// Keeps requests within a server's rate limits so that it never has to answer 429 for a reason the client could have
/// known: configured windows (<see cref="RateLimitOptions.Limits"/>) and windows learned from every response's headers,
/// per partition (host, route template or user key), acquired together and counted at send time. Use it through
/// <see cref="RateLimitHandler"/>, share one between clients, or use it anywhere a
/// <see cref="PartitionedRateLimiter{TResource}"/> of requests fits.
/// </summary>
/// <remarks>
/// <para><b>Windows.</b> A request fits only if every window of its partition (and of its route, for per-method limits)
/// has room; it is then counted in all of them at once, under the partition's one lock. A window with a known length
/// (configured, IETF <c>w</c>, Riot's seconds) holds a request from admission until its response arrived plus the
/// length, whatever window the server keeps (fixed from first use, fixed on the clock, or sliding): every request the
/// server still counts is still held here, so requests in flight count and no clock alignment is assumed. In a window
/// known only by its reset (GitHub's <c>X-RateLimit-*</c>) a request is held until the reset its own response reported.</para>
/// <para><b>Learning.</b> Until a partition's first response has been read it sends one request at a time (a probe).
/// The answer teaches the limits and the server's counts: usage beyond this program's own (another program on the same
/// key) is held as others' until the reported reset, so the budget believed is never more than the server reports. One
/// limit reported by several header families is one window.</para>
/// <para><b>429.</b> A quota 429 with <c>Retry-After</c> pauses the partition (or the route, for
/// <c>X-Rate-Limit-Type: method</c>) for that long plus <see cref="RateLimitOptions.PauseMargin"/>, then it probes and
/// learns again. A 429 for backend load (<c>X-Rate-Limit-Type: service</c>) pauses nothing: that signal belongs to the
/// concurrency limiter.</para>
/// <para><b>No room.</b> In <see cref="RateLimitMode.Wait"/> a request waits in its partition's FIFO line (one timer per
/// partition, none per waiter) while the wait fits in the call's remaining time budget; otherwise, or in
/// <see cref="RateLimitMode.Throw"/>, it fails with a <see cref="SalvoThrottledException"/> saying when room is expected
/// (through the <see cref="PartitionedRateLimiter{TResource}"/> API: a failed lease carrying
/// <see cref="MetadataName.RetryAfter"/>). Nothing is sent for it.</para>
/// <para>Admitting a request with room takes a dictionary lookup, one lock and no allocation. Memory is bounded by
/// <see cref="RateLimitOptions.MaxPartitions"/> partitions of a few hundred bytes each, never by the number of requests.</para>
/// </remarks>
public sealed partial class SalvoRateLimiter : PartitionedRateLimiter<HttpRequestMessage>
{
    private readonly LimiterSettings _settings;
    private readonly ConcurrentDictionary<LimiterKey, LimiterPartition> _partitions = new();
    private int _disposed;

    /// <summary>Creates a limiter.</summary>
    /// <param name="options">The limits and behaviour; read once, now.</param>
    /// <param name="timeProvider">The clock for windows, pauses and waits; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where learned limits, pauses (Information, Warning) and rejections (Debug) are logged; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException"><see cref="RateLimitOptions.Limiter"/> is set: that limiter is the one to use.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid (every problem is listed).</exception>
    public SalvoRateLimiter(RateLimitOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Limiter is not null)
            throw new ArgumentException("RateLimitOptions.Limiter is set; use that limiter instead of creating one from these options.", nameof(options));
        RateLimitOptionsValidator.ThrowIfInvalid(options);
        _settings = new LimiterSettings(options, timeProvider ?? TimeProvider.System, logger ?? NullLogger.Instance);
    }

    /// <summary>What the limiter has done since it was created.</summary>
    public RateLimitCounters Counters => _settings.Counters;

    /// <summary>What a request does when its partition has no room (from <see cref="RateLimitOptions.Mode"/>).</summary>
    public RateLimitMode Mode => _settings.Mode;

    internal LimiterSettings Settings => _settings;

    /// <summary>The state of every partition now: windows, pause, requests in flight and waiting.</summary>
    /// <returns>One snapshot per partition, in no particular order.</returns>
    public IReadOnlyList<RateLimitPartitionSnapshot> Snapshot()
    {
        var snapshots = new List<RateLimitPartitionSnapshot>(_partitions.Count + 1);
        foreach (var partition in _partitions.Values)
            snapshots.Add(partition.Snapshot());
        if (Volatile.Read(ref _overflow) is { } overflow)
            snapshots.Add(overflow.Snapshot());
        return snapshots;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The permits are those the request's partition admits now (0 while it is paused or waiting for its probe's
    /// answer; <see cref="int.MaxValue"/> while it has no window); the lease totals are the limiter's, over all partitions.
    /// </remarks>
    public override RateLimiterStatistics? GetStatistics(HttpRequestMessage resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var partition = PartitionFor(resource, out _);
        return new RateLimiterStatistics
        {
            CurrentAvailablePermits = partition.AvailablePermits(),
            CurrentQueuedCount = partition.QueuedPermits,
            TotalSuccessfulLeases = Counters.Admitted,
            TotalFailedLeases = Counters.Throttled,
        };
    }

    /// <inheritdoc />
    /// <remarks>Requests waiting for room fail with an <see cref="ObjectDisposedException"/>.</remarks>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            DisposeCore();
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    protected override ValueTask DisposeAsyncCore()
    {
        DisposeCore();
        return ValueTask.CompletedTask;
    }

    private void DisposeCore()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        var error = new ObjectDisposedException(nameof(SalvoRateLimiter));
        lock (_createGate)
        {
            foreach (var partition in _partitions.Values)
                partition.Fail(error);
            _partitions.Clear();
            _overflow?.Fail(error);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
