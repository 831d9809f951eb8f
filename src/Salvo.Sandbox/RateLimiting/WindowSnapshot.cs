namespace Salvo.Sandbox.RateLimiting;

/// <summary>The state of one window when a request was decided.</summary>
internal readonly record struct WindowSnapshot(SandboxRateLimit Limit, int Count, DateTimeOffset ResetAt)
{
    public int Remaining => Math.Max(0, Limit.Limit - Count);
}
