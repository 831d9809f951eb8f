namespace Salvo.RateLimiting;

/// <summary>A request queued for room in a partition. Completed under the partition's lock; continuations run asynchronously.</summary>
internal sealed class Waiter(LimiterPartition partition, int permits, string? routeTemplate)
    : TaskCompletionSource<Admission>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public LimiterPartition Partition { get; } = partition;

    public int Permits { get; } = permits;

    public string? RouteTemplate { get; } = routeTemplate;

    /// <summary>The waiter's place in its partition's queue; guarded by the partition's lock.</summary>
    public LinkedListNode<Waiter>? Node { get; set; }

    /// <summary>Whether it left the queue (admitted, cancelled or failed); guarded by the partition's lock.</summary>
    public bool Done { get; set; }

    /// <summary>Disposed by whoever awaits the waiter, outside any lock.</summary>
    public CancellationTokenRegistration Registration { get; set; }
}
