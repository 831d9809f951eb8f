namespace Salvo;

/// <summary>
/// The circuit breaker for the call's host is open after repeated failures, so the call was not sent.
/// <see cref="SalvoException.RetryAfter"/> says when the breaker will let a trial call through (half-open).
/// </summary>
public sealed class SalvoCircuitOpenException : SalvoException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="host">The host whose circuit is open.</param>
    /// <param name="retryAfter">How long until the circuit half-opens, if known.</param>
    /// <param name="innerException">The breaker's own exception.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoCircuitOpenException(string host, TimeSpan? retryAfter, Exception? innerException = null, SalvoErrorContext? context = null)
        : base($"{ErrorText.Call(context)} was not sent: the circuit for {host} is open{(retryAfter is { } r ? $" for another {r.TotalMilliseconds:0} ms" : "")}.", innerException, context)
    {
        Host = host;
        RetryAfterValue = retryAfter;
    }

    /// <summary>The host whose circuit is open.</summary>
    public string Host { get; }

    /// <summary>
    /// When the breaker lets a trial call through (half-opens), on the breaker's clock: now plus
    /// <see cref="RetryAfter"/>; <see langword="null"/> when not known.
    /// </summary>
    public DateTimeOffset? HalfOpensAt { get; init; }

    /// <inheritdoc />
    public override TimeSpan? RetryAfter => RetryAfterValue;

    /// <inheritdoc />
    /// <remarks>Always <see langword="true"/>: the circuit half-opens after its break.</remarks>
    public override bool IsTransient => true;

    private TimeSpan? RetryAfterValue { get; }
}
