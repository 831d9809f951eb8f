namespace Salvo;

/// <summary>Why Salvo itself held a call back before sending it.</summary>
public enum ThrottleReason
{
    /// <summary>A rate limit (configured, or learned from the server's headers) has no budget left in time.</summary>
    RateLimit = 0,

    /// <summary>The concurrency limit is full and no slot frees up within the time budget.</summary>
    ConcurrencyLimit = 1,

    /// <summary>The server asked for a pause (a 429 with Retry-After) that outlasts the time budget.</summary>
    ServerPause = 2,
}
