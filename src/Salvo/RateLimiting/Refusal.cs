namespace Salvo.RateLimiting;

/// <summary>Why a request was held back, for its <see cref="SalvoThrottledException"/> or failed lease.</summary>
/// <param name="Partition">The partition's name (never a secret).</param>
/// <param name="Reason">A rate limit, or a pause the server asked for.</param>
/// <param name="RetryAfter">When room is expected, or <see langword="null"/> when the request can never fit (it asks for more than a window holds).</param>
internal readonly record struct Refusal(string Partition, ThrottleReason Reason, TimeSpan? RetryAfter);
