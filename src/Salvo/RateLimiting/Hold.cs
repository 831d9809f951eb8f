namespace Salvo.RateLimiting;

/// <summary>Why a request cannot go now, and the earliest it might.</summary>
/// <param name="RoomAt">A lower bound (timestamp) of when room appears; exact unless requests in flight must finish first.</param>
/// <param name="Reason">A server-requested pause, or a rate limit.</param>
/// <param name="ForProbe">Whether waiting for a probe's answer is (part of) the reason.</param>
/// <param name="RouteOnly">Whether only the request's route holds it back (so later requests of other routes may pass).</param>
internal readonly record struct Hold(long RoomAt, ThrottleReason Reason, bool ForProbe, bool RouteOnly);
