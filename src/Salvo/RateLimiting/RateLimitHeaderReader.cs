using System.Net;
using System.Net.Http.Headers;

namespace Salvo.RateLimiting;

/// <summary>Reads every rate-limit header family of a response into a <see cref="HeaderReport"/>.</summary>
/// <remarks>Malformed values are skipped, never thrown: a server's bad header must not fail a call that succeeded.</remarks>
internal static class RateLimitHeaderReader
{
    /// <summary>
    /// Reads the response; returns <see langword="null"/> when it says nothing this limiter acts on. With
    /// <paramref name="learn"/> off (<see cref="RateLimitOptions.LearnFromHeaders"/>) windows are not read, but a 429 is.
    /// </summary>
    public static HeaderReport? Read(HttpResponseMessage response, bool learn, TimeProvider timeProvider)
    {
        var is429 = response.StatusCode == HttpStatusCode.TooManyRequests;
        if (!is429 && (!learn || !MayCarryLimits(response.Headers)))
            return null;
        var report = HeaderReport.Rent();
        report.Is429 = is429;
        GitHubHeaders.Read(response, timeProvider, report);
        IetfHeaders.Read(response, timeProvider, report);
        RiotHeaders.Read(response, report);
        if (is429)
        {
            report.RetryAfter = SalvoErrors.RetryAfter(response, timeProvider);
            report.LimitType = RiotHeaders.ReadType(response);
        }
        return report;
    }

    /// <summary>
    /// Whether any header of the response is named like one of the three families (<c>X-RateLimit-*</c>,
    /// <c>X-Rate-Limit-*</c>, <c>RateLimit*</c>, <c>X-App-Rate-Limit*</c>, <c>X-Method-Rate-Limit*</c>). One pass over the
    /// headers the response has is far cheaper than looking up the eleven names one by one, and most responses carry none.
    /// </summary>
    private static bool MayCarryLimits(HttpResponseHeaders headers)
    {
        foreach (var header in headers.NonValidated)
        {
            var name = header.Key.AsSpan();
            if (name.StartsWith("X-RateLimit", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("X-Rate-Limit", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("RateLimit", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("X-App-Rate-Limit", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("X-Method-Rate-Limit", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
