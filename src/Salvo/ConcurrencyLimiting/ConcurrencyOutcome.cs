namespace Salvo.ConcurrencyLimiting;

/// <summary>What a finished request tells an adaptive concurrency limit about the server's load.</summary>
public enum ConcurrencyOutcome
{
    /// <summary>The server served the request (any status but an overload one): its round trip is a latency sample.</summary>
    Completed = 0,

    /// <summary>
    /// The server was overloaded: a 503, a timeout, or a 429 that is not a quota (<c>X-Rate-Limit-Type: service</c>).
    /// The limit decreases multiplicatively, at most once per round trip.
    /// </summary>
    Dropped = 1,

    /// <summary>
    /// The request says nothing about the server's load (the caller cancelled, a quota 429, a connection error), so
    /// it neither moves the limit nor counts as a latency sample.
    /// </summary>
    Ignored = 2,
}
