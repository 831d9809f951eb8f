namespace Salvo.Realtime;

/// <summary>One change of a stream's <see cref="ConnectionState"/>, as raised by the <c>StateChanged</c> events.</summary>
/// <param name="State">The new state.</param>
/// <param name="Url">The stream's URL, with credentials and sensitive query values redacted.</param>
/// <param name="Attempt">For <see cref="ConnectionState.Reconnecting"/>: the reconnect attempt about to be made (1 for the first); otherwise 0.</param>
/// <param name="RetryIn">For <see cref="ConnectionState.Reconnecting"/>: how long until that attempt.</param>
/// <param name="Error">What closed or failed the previous connection, when something did (free of secrets).</param>
public sealed record ConnectionStateChange(ConnectionState State, string Url, int Attempt = 0, TimeSpan? RetryIn = null, Exception? Error = null);
