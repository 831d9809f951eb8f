namespace Salvo.Sandbox.RateLimiting;

/// <summary>Whether a request was admitted, how long to wait if not, and every window's state afterwards.</summary>
internal sealed record RateLimitDecision(bool Admitted, TimeSpan RetryAfter, IReadOnlyList<WindowSnapshot> Windows);
