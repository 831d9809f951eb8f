using System.Globalization;

namespace Salvo.RateLimiting;

/// <summary>
/// Turns a reset header value into seconds from now. The rule: a value below 1,000,000,000 is a delta in seconds (no
/// real reset is before 2001-09-09, the epoch second 10^9); a value of 100,000,000,000 or more is epoch milliseconds;
/// anything between is epoch seconds. An epoch value is measured against the response's own <c>Date</c> when that puts
/// the reset in the future (so a skewed local clock does not matter), else against the local clock.
/// </summary>
internal static class ResetValue
{
    public const double EpochSecondsFrom = 1_000_000_000;
    public const double EpochMillisecondsFrom = 100_000_000_000;

    public static double ToDeltaSeconds(double value, HttpResponseMessage response, TimeProvider timeProvider)
    {
        if (value < EpochSecondsFrom)
            return value;
        var epochSeconds = value >= EpochMillisecondsFrom ? value / 1000 : value;
        if (ServerDate(response) is { } date)
        {
            var fromServer = epochSeconds - date.ToUnixTimeSeconds();
            if (fromServer >= 0)
                return fromServer;
        }
        var local = epochSeconds - (timeProvider.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
        return Math.Max(0, local);
    }

    private static DateTimeOffset? ServerDate(HttpResponseMessage response) =>
        HeaderText.TryFirst(response.Headers, "Date", out var text)
        && DateTimeOffset.TryParseExact(text.AsSpan().Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : null;
}
