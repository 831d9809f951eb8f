namespace Salvo.ConcurrencyLimiting;

/// <summary>What <see cref="ConcurrencyGate.Enter"/> did with a request, and how a queued wait ended.</summary>
internal enum GateStatus
{
    /// <summary>The request holds a slot.</summary>
    Entered,

    /// <summary>The request waits in line for a slot.</summary>
    Queued,

    /// <summary>The line is full; the request got nothing.</summary>
    QueueFull,

    /// <summary>The wait was cancelled before a slot came free; the request got nothing.</summary>
    Cancelled,

    /// <summary>The gate was disposed; the request got nothing.</summary>
    Disposed,
}
