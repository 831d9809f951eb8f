using System.Net;

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
        if (!learn && !is429)
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
}
