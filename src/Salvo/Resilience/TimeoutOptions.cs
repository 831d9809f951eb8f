namespace Salvo.Resilience;

/// <summary>The time budgets of a call. Each expiry is a <see cref="SalvoTimeoutException"/> naming its budget.</summary>
/// <remarks>
/// <see cref="Total"/> is the outermost budget: it covers every attempt, every wait between attempts and the
/// reading of the body. <see cref="Attempt"/> is the innermost: one try, up to the response headers.
/// <see cref="Connect"/> bounds opening one connection (TCP and TLS) inside an attempt.
/// Use <see cref="Timeout.InfiniteTimeSpan"/> to switch a budget off.
/// </remarks>
public sealed class TimeoutOptions
{
    private TimeSpan? _attempt;

    /// <summary>The default <see cref="Total"/>.</summary>
    /// <value>The value is 30 seconds.</value>
    public static readonly TimeSpan DefaultTotal = TimeSpan.FromSeconds(30);

    /// <summary>The default <see cref="Attempt"/>.</summary>
    /// <value>The value is 10 seconds.</value>
    public static readonly TimeSpan DefaultAttempt = TimeSpan.FromSeconds(10);

    /// <summary>The default <see cref="Connect"/> (the seeds' aiohttp example uses 5 s).</summary>
    /// <value>The value is 5 seconds.</value>
    public static readonly TimeSpan DefaultConnect = TimeSpan.FromSeconds(5);

    /// <summary>The budget for the whole call, retries and body included.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Total { get; set; } = DefaultTotal;

    /// <summary>
    /// The budget for one attempt, up to the response headers. A value set explicitly must not exceed
    /// <see cref="Total"/>; <see cref="Timeout.InfiniteTimeSpan"/> leaves attempts bounded by the total alone.
    /// </summary>
    /// <value>The default value is 10 seconds, or <see cref="Total"/> when that is shorter.</value>
    public TimeSpan Attempt
    {
        get => _attempt ?? (Total != Timeout.InfiniteTimeSpan && Total < DefaultAttempt ? Total : DefaultAttempt);
        set => _attempt = value;
    }

    /// <summary>The budget for opening one connection, TCP and TLS handshake included.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan Connect { get; set; } = DefaultConnect;
}
