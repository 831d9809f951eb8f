namespace Salvo.Realtime;

/// <summary>
/// How a stream (a GraphQL subscription socket, a server-sent-event stream, a WebSocket JSON stream) comes back
/// after its connection closes or fails. Read when the stream starts.
/// </summary>
/// <remarks>
/// <para>Every close counts, clean or not: a server that restarts closes its sockets with a normal 1000, and a
/// stream that stopped there would silently stop delivering. Only the caller's cancellation, the server completing
/// a GraphQL subscription, an SSE server answering 204, and failures that a new connection cannot fix (a 4xx other
/// than 408 and 429, a payload that does not decode, a protocol error) end a stream.</para>
/// <para>The wait before reconnect attempt <c>n</c> is decorrelated jitter, as in retries: a random value between
/// <see cref="BaseDelay"/> and three times the previous wait, capped at <see cref="MaxDelay"/>, so clients dropped
/// together by one server restart do not all come back in the same millisecond. A connection that succeeds resets it.</para>
/// </remarks>
public sealed class ReconnectOptions
{
    /// <summary>The default <see cref="BaseDelay"/>.</summary>
    /// <value>The value is 250 milliseconds.</value>
    public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>The default <see cref="MaxDelay"/>.</summary>
    /// <value>The value is 30 seconds.</value>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>Whether a stream reconnects at all; when <see langword="false"/>, the first close or failure ends it with an exception.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>The shortest wait before a reconnect attempt, and the scale of the backoff.</summary>
    /// <value>The default value is 250 milliseconds.</value>
    public TimeSpan BaseDelay { get; set; } = DefaultBaseDelay;

    /// <summary>The longest wait between reconnect attempts.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = DefaultMaxDelay;

    /// <summary>
    /// How many reconnect attempts in a row may fail before the stream gives up with the last failure;
    /// <see langword="null"/> for no limit (a long-lived feed that must outlive any outage).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? MaxAttempts { get; set; }

    /// <summary>The jitter's random source: returns a value in [0, 1); thread-safe. Tests pass a fixed sequence.</summary>
    /// <value>The default value is <see cref="Random.NextDouble"/> of <see cref="Random.Shared"/>.</value>
    public Func<double> Randomizer { get; set; } = Random.Shared.NextDouble;
}
