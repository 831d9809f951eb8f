namespace Salvo.RateLimiting;

/// <summary>What a partition decided for one request.</summary>
internal enum AcquireStatus
{
    /// <summary>Admitted now.</summary>
    Admitted = 0,

    /// <summary>Queued: await the waiter.</summary>
    Queued = 1,

    /// <summary>Held back: the wait is not allowed (mode) or would not fit in the budget.</summary>
    Rejected = 2,

    /// <summary>The partition was forgotten while being looked up: look it up again.</summary>
    Retired = 3,
}
