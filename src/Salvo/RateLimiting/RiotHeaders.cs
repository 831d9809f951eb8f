namespace Salvo.RateLimiting;

/// <summary>
/// Riot style: <c>X-App-Rate-Limit: 20:1,100:120</c> (limit:seconds per window) with <c>X-App-Rate-Limit-Count: 3:1,3:120</c>
/// (used:seconds, the count in the current window), and the same for <c>X-Method-Rate-Limit</c>, whose windows are per
/// route. A 429 says which was exceeded in <c>X-Rate-Limit-Type</c>: <c>application</c>, <c>method</c> or <c>service</c>.
/// </summary>
internal static class RiotHeaders
{
    public const string AppLimit = "X-App-Rate-Limit";
    public const string AppCount = "X-App-Rate-Limit-Count";
    public const string MethodLimit = "X-Method-Rate-Limit";
    public const string MethodCount = "X-Method-Rate-Limit-Count";
    public const string LimitType = "X-Rate-Limit-Type";

    public static void Read(HttpResponseMessage response, HeaderReport report)
    {
        Read(response, AppLimit, AppCount, RateLimitWindowSource.RiotApplication, perRoute: false, report);
        Read(response, MethodLimit, MethodCount, RateLimitWindowSource.RiotMethod, perRoute: true, report);
    }

    public static RateLimitType ReadType(HttpResponseMessage response)
    {
        if (!HeaderText.TryFirst(response.Headers, LimitType, out var text))
            return RateLimitType.None;
        var value = text.AsSpan().Trim();
        if (value.Equals("application", StringComparison.OrdinalIgnoreCase))
            return RateLimitType.Application;
        if (value.Equals("method", StringComparison.OrdinalIgnoreCase))
            return RateLimitType.Method;
        return value.Equals("service", StringComparison.OrdinalIgnoreCase) ? RateLimitType.Service : RateLimitType.Other;
    }

    private static void Read(HttpResponseMessage response, string limitName, string countName, RateLimitWindowSource source, bool perRoute, HeaderReport report)
    {
        if (!HeaderText.TryFirst(response.Headers, limitName, out var limits))
            return;
        report.HasFamily = true;
        HeaderText.TryFirst(response.Headers, countName, out var counts);
        var rest = limits.AsSpan();
        while (HeaderText.NextPart(ref rest, out var part))
        {
            if (TryPair(part, out var limit, out var seconds) && seconds > 0)
                report.Add(source, perRoute, limit, seconds, UsedIn(counts, seconds), -1);
        }
    }

    private static long UsedIn(string counts, long seconds)
    {
        var rest = counts.AsSpan();
        while (HeaderText.NextPart(ref rest, out var part))
        {
            if (TryPair(part, out var used, out var window) && window == seconds)
                return used;
        }
        return -1;
    }

    private static bool TryPair(ReadOnlySpan<char> part, out long first, out long second)
    {
        var colon = part.IndexOf(':');
        second = 0;
        first = 0;
        return colon > 0 && HeaderText.TryInteger(part[..colon], out first) && HeaderText.TryInteger(part[(colon + 1)..], out second);
    }
}
