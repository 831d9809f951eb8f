namespace Salvo.RateLimiting;

/// <summary>
/// The IETF draft (draft-ietf-httpapi-ratelimit-headers). Current form, structured fields:
/// <c>RateLimit-Policy: "burst";q=100;w=60, "day";q=1000;w=86400</c> (quota and window per named policy) and
/// <c>RateLimit: "burst";r=42;t=17</c> (remaining and seconds to reset, for the policies the server chooses to report).
/// Older form: <c>RateLimit-Limit: 100</c> (optionally <c>100;w=60</c>), <c>RateLimit-Remaining: 42</c>, <c>RateLimit-Reset: 17</c>,
/// and policy items named by their quota (<c>RateLimit-Policy: 100;w=60</c>).
/// </summary>
/// <remarks>Policies whose quota unit (<c>qu</c>) is not <c>requests</c> are ignored: this limiter counts requests.</remarks>
internal static class IetfHeaders
{
    public const string Policy = "RateLimit-Policy";
    public const string State = "RateLimit";
    public const string LegacyLimit = "RateLimit-Limit";
    public const string LegacyRemaining = "RateLimit-Remaining";
    public const string LegacyReset = "RateLimit-Reset";

    public static void Read(HttpResponseMessage response, TimeProvider timeProvider, HeaderReport report)
    {
        var headers = response.Headers;
        if (headers.NonValidated.TryGetValues(Policy, out var policies))
        {
            report.HasFamily = true;
            foreach (var value in policies)
                ReadPolicies(response, value, report);
        }
        else if (HeaderText.Has(headers, State))
        {
            report.HasFamily = true; // remaining without quota teaches nothing
        }
        ReadLegacy(response, timeProvider, report);
    }

    private static void ReadPolicies(HttpResponseMessage response, string value, HeaderReport report)
    {
        var rest = value.AsSpan();
        while (StructuredFields.NextMember(ref rest, out var member))
        {
            if (!StructuredFields.TrySplitItem(member, out var name, out var parameters))
                continue;
            long quota;
            if (StructuredFields.TryGetParameter(parameters, "q", out var q))
            {
                if (!HeaderText.TryInteger(q, out quota))
                    continue;
            }
            else if (!HeaderText.TryInteger(name, out quota))
            {
                continue;
            }
            if (StructuredFields.TryGetParameter(parameters, "qu", out var unit) && !unit.Trim('"').Equals("requests", StringComparison.OrdinalIgnoreCase))
                continue;
            double window = 0;
            if (StructuredFields.TryGetParameter(parameters, "w", out var w) && (!HeaderText.TryNumber(w, out window) || window <= 0))
                continue;
            FindState(response, name, out var remaining, out var reset);
            report.Add(RateLimitWindowSource.Ietf, perRoute: false, quota, window, remaining < 0 ? -1 : Math.Max(0, quota - remaining), reset);
        }
    }

    /// <summary>The remaining (<c>r</c>) and reset (<c>t</c>) the <c>RateLimit</c> field gives for the policy named <paramref name="name"/>.</summary>
    private static void FindState(HttpResponseMessage response, ReadOnlySpan<char> name, out long remaining, out double reset)
    {
        remaining = -1;
        reset = -1;
        if (!response.Headers.NonValidated.TryGetValues(State, out var states))
            return;
        foreach (var value in states)
        {
            var rest = value.AsSpan();
            while (StructuredFields.NextMember(ref rest, out var member))
            {
                if (!StructuredFields.TrySplitItem(member, out var stateName, out var parameters) || !stateName.SequenceEqual(name))
                    continue;
                if (StructuredFields.TryGetParameter(parameters, "r", out var r) && HeaderText.TryInteger(r, out var left))
                    remaining = left;
                if (StructuredFields.TryGetParameter(parameters, "t", out var t) && HeaderText.TryNumber(t, out var seconds))
                    reset = seconds;
                return;
            }
        }
    }

    private static void ReadLegacy(HttpResponseMessage response, TimeProvider timeProvider, HeaderReport report)
    {
        var headers = response.Headers;
        if (!HeaderText.TryFirst(headers, LegacyLimit, out var limitText))
            return;
        report.HasFamily = true;
        // "100" or "100, 100;w=60, 1000;w=3600": the first member is the limit that applies now; its window is its own
        // w, or that of the quota policy with the same limit. The other policies are windows whose usage is not reported.
        var rest = limitText.AsSpan();
        if (!StructuredFields.NextMember(ref rest, out var first)
            || !StructuredFields.TrySplitItem(first, out var limitValue, out var parameters)
            || !HeaderText.TryInteger(limitValue, out var limit))
        {
            return;
        }
        var window = WindowOf(parameters);
        while (StructuredFields.NextMember(ref rest, out var member))
        {
            if (!StructuredFields.TrySplitItem(member, out var quotaValue, out var policy) || !HeaderText.TryInteger(quotaValue, out var quota)
                || WindowOf(policy) is not (> 0 and var length))
            {
                continue;
            }
            if (quota == limit && window == 0)
                window = length;
            else if (quota != limit)
                report.Add(RateLimitWindowSource.IetfLegacy, perRoute: false, quota, length, -1, -1);
        }
        long used = -1;
        if (HeaderText.TryFirst(headers, LegacyRemaining, out var remainingText) && HeaderText.TryInteger(remainingText, out var remaining))
            used = Math.Max(0, limit - remaining);
        double reset = -1;
        if (HeaderText.TryFirst(headers, LegacyReset, out var resetText) && HeaderText.TryNumber(resetText, out var value))
            reset = ResetValue.ToDeltaSeconds(value, response, timeProvider);
        report.Add(RateLimitWindowSource.IetfLegacy, perRoute: false, limit, window, used, reset);
    }

    /// <summary>A policy's <c>w</c> in seconds, or 0 when it has none (or a malformed one).</summary>
    private static double WindowOf(ReadOnlySpan<char> parameters) =>
        StructuredFields.TryGetParameter(parameters, "w", out var w) && HeaderText.TryNumber(w, out var window) && window > 0 ? window : 0;
}
