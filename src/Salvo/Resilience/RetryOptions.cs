namespace Salvo.Resilience;

/// <summary>How <see cref="RetryHandler"/> retries transient failures. Read once, when the handler is created.</summary>
/// <remarks>
/// <para>Transient: 408, 429, 500, 502, 503, 504, connection failures and attempt timeouts. Never retried:
/// Salvo's own throttling (<see cref="SalvoThrottledException"/>), an open circuit, the total budget running out,
/// and the caller's cancellation.</para>
/// <para>The wait before retry <c>n</c> is exponential backoff with decorrelated jitter: a random value between
/// <see cref="BaseDelay"/> and three times the previous wait, capped at <see cref="MaxDelay"/>. A server's
/// <c>Retry-After</c> replaces it when <see cref="UseRetryAfter"/> is set. A retry whose wait would not end
/// before the call's total budget does is not attempted: the call fails at once with the last outcome.</para>
/// <para>Methods that are not idempotent (POST, PATCH) are retried only with an <c>Idempotency-Key</c> header,
/// with <see cref="RetryUnsafeMethods"/>, or with <see cref="SalvoRequestSettings.AllowUnsafeRetry"/>.</para>
/// </remarks>
public sealed class RetryOptions
{
    /// <summary>The default <see cref="MaxRetries"/>.</summary>
    /// <value>The value is 3.</value>
    public const int DefaultMaxRetries = 3;

    /// <summary>The largest <see cref="MaxRetries"/> the validator accepts.</summary>
    /// <value>The value is 100.</value>
    public const int MaxRetriesLimit = 100;

    /// <summary>The default <see cref="BaseDelay"/>.</summary>
    /// <value>The value is 200 milliseconds.</value>
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>The default <see cref="MaxDelay"/>.</summary>
    /// <value>The value is 30 seconds.</value>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether calls are retried. When <see langword="false"/>, a call is retried only if its
    /// <see cref="SalvoRequestSettings.Retry"/> is <see langword="true"/>; when <see langword="true"/>, a call's
    /// <see cref="SalvoRequestSettings.Retry"/> of <see langword="false"/> still turns retries off for it.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>How many times a call is tried again after its first attempt; 0 for never.</summary>
    /// <value>The default value is 3 (so at most 4 attempts).</value>
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    /// <summary>The shortest wait between attempts, and the scale of the backoff.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan BaseDelay { get; set; } = DefaultBaseDelay;

    /// <summary>
    /// The longest wait between attempts. A <c>Retry-After</c> longer than this ends the retries (the call
    /// returns the server's answer, which says how long to wait) instead of being shortened.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = DefaultMaxDelay;

    /// <summary>
    /// Whether methods that are not idempotent (POST, PATCH, and any other method than GET, HEAD, OPTIONS, TRACE,
    /// PUT and DELETE) are retried even without an <c>Idempotency-Key</c> header. Only for APIs where repeating
    /// such a call is known to be harmless.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool RetryUnsafeMethods { get; set; }

    /// <summary>Whether a server's <c>Retry-After</c> (seconds or an HTTP date; a date in the past means now) sets the wait.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseRetryAfter { get; set; } = true;

    /// <summary>
    /// The jitter's random source: returns a value in [0, 1). It is called from many calls at once, so it must be
    /// thread-safe; tests pass a seeded or fixed sequence.
    /// </summary>
    /// <value>The default value is <see cref="Random.NextDouble"/> of <see cref="Random.Shared"/>.</value>
    public Func<double> Randomizer { get; set; } = Random.Shared.NextDouble;
}
