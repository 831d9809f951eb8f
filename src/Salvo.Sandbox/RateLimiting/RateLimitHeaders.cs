using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Salvo.Sandbox.RateLimiting;

/// <summary>
/// Advertises the windows in the header families clients learn from (all three by default, see
/// <see cref="SandboxOptions.RateLimitHeaders"/>): GitHub's <c>X-RateLimit-*</c>, the IETF draft's
/// <c>RateLimit-Policy</c>/<c>RateLimit</c> structured fields, and Riot's <c>X-App-Rate-Limit</c>/<c>X-App-Rate-Limit-Count</c>.
/// </summary>
internal static class RateLimitHeaders
{
    public static void Apply(IHeaderDictionary headers, RateLimitDecision decision, DateTimeOffset now, SandboxRateLimitHeaders families)
    {
        var windows = decision.Windows;
        var tightest = MostConstrained(windows);
        var chosen = windows[tightest];

        if (families.HasFlag(SandboxRateLimitHeaders.GitHub))
        {
            // The reset is an epoch second of the Sandbox's clock; its Date must come from the same clock (a client may
            // measure the reset against it), not from Kestrel's, which ignores SandboxOptions.TimeProvider.
            headers.Date = now.ToString("r", CultureInfo.InvariantCulture);
            headers["X-RateLimit-Limit"] = Text(chosen.Limit.Limit);
            headers["X-RateLimit-Remaining"] = Text(chosen.Remaining);
            headers["X-RateLimit-Reset"] = Text((long)Math.Ceiling((chosen.ResetAt - DateTimeOffset.UnixEpoch).TotalSeconds));
        }
        if (families.HasFlag(SandboxRateLimitHeaders.Ietf))
        {
            headers["RateLimit-Policy"] = string.Join(", ",
                windows.Select((w, i) => $"\"w{Text(i + 1)}\";q={Text(w.Limit.Limit)};w={Text(CeilingSeconds(w.Limit.Window))}"));
            headers["RateLimit"] = $"\"w{Text(tightest + 1)}\";r={Text(chosen.Remaining)};t={Text(CeilingSeconds(chosen.ResetAt - now))}";
        }
        if (families.HasFlag(SandboxRateLimitHeaders.Riot))
        {
            headers["X-App-Rate-Limit"] = string.Join(",", windows.Select(w => $"{Text(w.Limit.Limit)}:{Text(CeilingSeconds(w.Limit.Window))}"));
            headers["X-App-Rate-Limit-Count"] = string.Join(",", windows.Select(w => $"{Text(w.Count)}:{Text(CeilingSeconds(w.Limit.Window))}"));
        }
    }

    /// <summary>Whole seconds, rounded up and at least one: headers carry integers and "0 s" would invite a busy loop.</summary>
    public static long CeilingSeconds(TimeSpan value) => Math.Max(1, (long)Math.Ceiling(value.TotalSeconds));

    /// <summary>The window with the fewest requests left; on a tie, the one that resets last.</summary>
    private static int MostConstrained(IReadOnlyList<WindowSnapshot> windows)
    {
        var best = 0;
        for (var i = 1; i < windows.Count; i++)
        {
            var (w, b) = (windows[i], windows[best]);
            if (w.Remaining < b.Remaining || (w.Remaining == b.Remaining && w.ResetAt > b.ResetAt))
                best = i;
        }
        return best;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
