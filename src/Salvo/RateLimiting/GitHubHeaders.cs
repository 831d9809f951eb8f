namespace Salvo.RateLimiting;

/// <summary>
/// GitHub style: <c>X-RateLimit-Limit: 5000</c>, <c>X-RateLimit-Remaining: 4987</c>, <c>X-RateLimit-Reset: 1767229200</c>
/// (see <see cref="ResetValue"/> for epoch versus delta). One window whose length is not said, only when it resets.
/// </summary>
/// <remarks>
/// GitHub keeps separate counters per resource (<c>X-RateLimit-Resource</c>: core, search, graphql) behind one host. A
/// partition holds one such window, so give calls to a resource with a different limit their own
/// <see cref="SalvoRequestSettings.RateLimitKey"/> and <see cref="RateLimitPartitioning.Key"/> partitions.
/// </remarks>
internal static class GitHubHeaders
{
    public const string Limit = "X-RateLimit-Limit";
    public const string Remaining = "X-RateLimit-Remaining";
    public const string Reset = "X-RateLimit-Reset";

    public static void Read(HttpResponseMessage response, TimeProvider timeProvider, HeaderReport report)
    {
        var headers = response.Headers;
        if (!HeaderText.TryFirst(headers, Limit, out var limitText))
            return;
        report.HasFamily = true;
        if (!HeaderText.TryInteger(limitText, out var limit))
            return;
        long used = -1;
        if (HeaderText.TryFirst(headers, Remaining, out var remainingText) && HeaderText.TryInteger(remainingText, out var remaining))
            used = Math.Max(0, limit - remaining);
        double reset = -1;
        if (HeaderText.TryFirst(headers, Reset, out var resetText) && HeaderText.TryNumber(resetText, out var value))
            reset = ResetValue.ToDeltaSeconds(value, response, timeProvider);
        report.Add(RateLimitWindowSource.GitHub, perRoute: false, limit, 0, used, reset);
    }
}
