using System.Globalization;
using System.Net;

namespace Salvo.Caching;

/// <summary>Turns a response into a <see cref="CacheEntry"/> and back.</summary>
internal static class CachedResponse
{
    // Hop-by-hop headers (RFC 9110 section 7.6.1), cookies, and what a replay computes itself.
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Set-Cookie", "Age", "Content-Length",
    };

    /// <summary>A new response over the entry's bytes; with <paramref name="now"/>, an <c>Age</c> header as RFC 9111 section 5.1 asks of a cache.</summary>
    public static HttpResponseMessage Create(CacheEntry entry, HttpRequestMessage request, DateTimeOffset? now = null)
    {
        var content = new ByteArrayContent(entry.Body);
        foreach (var header in entry.ContentHeaders)
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        var response = new HttpResponseMessage((HttpStatusCode)entry.StatusCode) { Content = content, RequestMessage = request };
        foreach (var header in entry.Headers)
            response.Headers.TryAddWithoutValidation(header.Key, header.Value);
        if (now is { } at)
            response.Headers.TryAddWithoutValidation("Age", ((long)Math.Max(0, (at - entry.StoredAt).TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        return response;
    }

    public static CacheEntry Capture(HttpResponseMessage response, byte[] body, CacheEntryShape shape, Storage storage, DateTimeOffset now, TimeSpan fetchDuration) => new()
    {
        Key = shape.Key,
        Resource = shape.Resource,
        Tags = shape.Tags,
        StatusCode = (int)response.StatusCode,
        Headers = Copy(response.Headers.NonValidated),
        ContentHeaders = Copy(response.Content.Headers.NonValidated),
        Body = body,
        StoredAt = now,
        FreshUntil = now + storage.Lifetime,
        StaleWhileRevalidate = storage.StaleWhileRevalidate,
        StaleIfError = storage.StaleIfError,
        MustRevalidate = storage.MustRevalidate,
        ETag = Raw(response.Headers.NonValidated, "ETag"),
        LastModified = Raw(response.Content.Headers.NonValidated, "Last-Modified"),
        VaryHeaders = shape.VaryHeaders,
        FetchDuration = fetchDuration,
    };

    /// <summary>The stored answer with the headers of a 304 laid over it (RFC 9111 section 4.3.4).</summary>
    public static CacheEntry Merge(CacheEntry entry, HttpResponseMessage notModified)
    {
        var headers = Overlay(entry.Headers, Copy(notModified.Headers.NonValidated));
        var content = Overlay(entry.ContentHeaders, Copy(notModified.Content.Headers.NonValidated));
        return entry with
        {
            Headers = headers,
            ContentHeaders = content,
            ETag = Find(headers, "ETag"),
            LastModified = Find(content, "Last-Modified"),
        };
    }

    private static KeyValuePair<string, string>[] Overlay(IReadOnlyList<KeyValuePair<string, string>> stored, KeyValuePair<string, string>[] fresh) =>
        [.. stored.Where(s => !fresh.Any(f => string.Equals(f.Key, s.Key, StringComparison.OrdinalIgnoreCase))), .. fresh];

    private static string? Find(KeyValuePair<string, string>[] headers, string name)
    {
        foreach (var h in headers)
        {
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
                return h.Value;
        }
        return null;
    }

    private static string? Raw(System.Net.Http.Headers.HttpHeadersNonValidated headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.ToString() : null;

    private static KeyValuePair<string, string>[] Copy(System.Net.Http.Headers.HttpHeadersNonValidated headers)
    {
        var pairs = new List<KeyValuePair<string, string>>(headers.Count);
        foreach (var header in headers)
        {
            if (!Skipped.Contains(header.Key))
                pairs.Add(KeyValuePair.Create(header.Key, header.Value.ToString()));
        }
        return [.. pairs];
    }
}

/// <summary>Where an entry goes: its key, resource, tags and the variant headers.</summary>
internal sealed record CacheEntryShape(string Key, string Resource, string[] Tags, IReadOnlyList<string>? VaryHeaders);
