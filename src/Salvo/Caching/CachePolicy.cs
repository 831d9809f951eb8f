using System.Globalization;
using System.Net.Http.Headers;

namespace Salvo.Caching;

/// <summary>What may be stored, and for how long (RFC 9111 sections 3 and 4.2, as a private cache).</summary>
internal static class CachePolicy
{
    /// <summary>Statuses cacheable without an explicit lifetime (RFC 9110 section 15.1), less 404/410 (negative caching, opt-in) and 206.</summary>
    private static readonly HashSet<int> Cacheable = [200, 203, 204, 300, 301, 308];

    /// <remarks>
    /// Headers are looked for in their raw form first and parsed only when present: the parsed views
    /// (<see cref="HttpResponseHeaders.CacheControl"/>, <see cref="HttpResponseHeaders.Vary"/>, …) allocate their
    /// collections even for a header the response does not carry.
    /// </remarks>
    public static Storage Evaluate(HttpResponseMessage response, CacheRule? rule, CacheOptions options, DateTimeOffset now)
    {
        var raw = response.Headers.NonValidated;
        if (rule is { Ttl.Ticks: 0 } || raw.Contains("Set-Cookie") || IsEventStream(response.Content.Headers))
            return default;
        var cc = raw.Contains("Cache-Control") ? response.Headers.CacheControl : null;
        if (cc is { NoStore: true } || (raw.Contains("Vary") && response.Headers.Vary.Contains("*")))
            return default;
        var status = (int)response.StatusCode;
        var negative = status is 404 or 410;
        if (negative ? options.NegativeTtl <= TimeSpan.Zero : !Cacheable.Contains(status))
            return default;

        var server = options.UseHttpSemantics ? ServerLifetime(response, cc, now) : null;
        TimeSpan lifetime;
        if (negative)
            lifetime = server ?? options.NegativeTtl;
        else if (rule is not null)
            lifetime = rule.Ttl;
        else if (!options.UseHttpSemantics)
            return default;
        else
            lifetime = server ?? TimeSpan.Zero;

        var validators = (raw.Contains("ETag") && response.Headers.ETag is not null)
            || (response.Content.Headers.NonValidated.Contains("Last-Modified") && response.Content.Headers.LastModified is not null);
        if (lifetime <= TimeSpan.Zero && !validators)
            return default;
        var mustRevalidate = cc is { MustRevalidate: true };
        return new Storage(
            true,
            lifetime < TimeSpan.Zero ? TimeSpan.Zero : lifetime,
            mustRevalidate ? TimeSpan.Zero : Max(options.StaleWhileRevalidate, Directive(cc, "stale-while-revalidate")),
            mustRevalidate ? TimeSpan.Zero : Max(options.StaleIfError, Directive(cc, "stale-if-error")),
            mustRevalidate);
    }

    /// <summary>The lifetime the server gave, less the age it reported; <see langword="null"/> when it gave none.</summary>
    private static TimeSpan? ServerLifetime(HttpResponseMessage response, CacheControlHeaderValue? cc, DateTimeOffset now)
    {
        TimeSpan? lifetime = null;
        if (cc is { NoCache: true })
            lifetime = TimeSpan.Zero;
        else if (cc?.MaxAge is { } maxAge)
            lifetime = maxAge;
        else if (response.Content.Headers.NonValidated.Contains("Expires"))
            // An Expires that does not parse (e.g. "0") means already expired (RFC 9111 section 5.3).
            lifetime = response.Content.Headers.Expires is { } expires ? expires - (response.Headers.Date ?? now) : TimeSpan.Zero;
        if (lifetime is { } value && response.Headers.NonValidated.Contains("Age") && response.Headers.Age is { } age)
            lifetime = value - age;
        return lifetime;
    }

    private static TimeSpan Directive(CacheControlHeaderValue? cc, string name)
    {
        if (cc is null)
            return TimeSpan.Zero;
        foreach (var extension in cc.Extensions)
        {
            if (string.Equals(extension.Name, name, StringComparison.OrdinalIgnoreCase)
                && int.TryParse(extension.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                return TimeSpan.FromSeconds(seconds);
        }
        return TimeSpan.Zero;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // An event stream is a connection that stays open, whatever a rule says: never held, never stored. (The parsed type: a
    // handler that set it typed has it parsed already, and the raw view would format it into a new string.)
    private static bool IsEventStream(HttpContentHeaders headers) =>
        string.Equals(headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Whether an answer is stored, its lifetime and its stale windows.</summary>
internal readonly record struct Storage(bool Store, TimeSpan Lifetime, TimeSpan StaleWhileRevalidate, TimeSpan StaleIfError, bool MustRevalidate);
