using System.Security.Cryptography;
using System.Text;
using Salvo.Telemetry;

namespace Salvo.Caching;

/// <summary>
/// Builds cache keys: method, normalised URL (query sorted, fragment and user-info dropped, secret query values hashed),
/// and a hash of the caller's identity — the credential headers and <see cref="CacheOptions.Identity"/> — never the credential.
/// </summary>
internal sealed class CacheKeys(CacheOptions options)
{
    private readonly string[] _identityHeaders = [.. options.IdentityHeaders.Order(StringComparer.OrdinalIgnoreCase)];
    private readonly Func<HttpRequestMessage, string?>? _identity = options.Identity;

    /// <summary>The normalised URL: what invalidation by URL and by prefix compares.</summary>
    public static string Resource(Uri uri)
    {
        var text = uri.AbsoluteUri;
        if (text.AsSpan().IndexOfAny('?', '#', '@') < 0)
            return text;
        var head = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        var query = uri.GetComponents(UriComponents.Query, UriFormat.UriEscaped);
        if (query.Length == 0)
            return head;
        var pairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < pairs.Length; i++)
        {
            var eq = pairs[i].IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && Redaction.IsSecretQueryParameter(Uri.UnescapeDataString(pairs[i][..eq])))
                pairs[i] = string.Concat(pairs[i].AsSpan(0, eq + 1), "h:", Hash(pairs[i][(eq + 1)..]));
        }
        Array.Sort(pairs, StringComparer.Ordinal);
        return head + "?" + string.Join('&', pairs);
    }

    /// <summary>A URL or URL prefix given by a user, absolute or relative to the base address, in <see cref="Resource"/> form.</summary>
    public static string ResourcePrefix(string urlOrPrefix, Uri? baseAddress)
    {
        if (Uri.TryCreate(urlOrPrefix, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
            return Resource(absolute);
        if (baseAddress is null)
            throw new ArgumentException($"'{Redaction.RedactUrl(urlOrPrefix)}' is relative and the cache has no base address.", nameof(urlOrPrefix));
        return Resource(new Uri(baseAddress, urlOrPrefix.TrimStart('/')));
    }

    public static string Key(string resource, string identity) =>
        identity.Length == 0 ? string.Concat("GET ", resource) : string.Concat("GET ", resource, " @", identity);

    /// <summary>The key of the variant a request selects among the answers stored under <paramref name="key"/>.</summary>
    public static string VariantKey(string key, HttpRequestMessage request, IReadOnlyList<string> varyHeaders)
    {
        var text = new StringBuilder();
        foreach (var name in varyHeaders)
        {
            text.Append(name.ToLowerInvariant()).Append(':');
            if (request.Headers.NonValidated.TryGetValues(name, out var values))
                text.AppendJoin(',', values.Select(v => v.Trim()));
            text.Append('\n');
        }
        return string.Concat(key, " ~", Hash(text.ToString()));
    }

    /// <summary>The single-flight key: the cache key, plus the negotiation headers that commonly select a variant.</summary>
    public static string FlightKey(string key, HttpRequestMessage request)
    {
        var headers = request.Headers.NonValidated;
        var accept = headers.TryGetValues("Accept", out var a) ? a.ToString() : null;
        var language = headers.TryGetValues("Accept-Language", out var l) ? l.ToString() : null;
        return accept is null && language is null ? key : string.Concat(key, "\n", accept, "\n", language);
    }

    /// <summary>A hash of who is calling, or empty when the request carries no identity.</summary>
    public string Identity(HttpRequestMessage request)
    {
        var custom = _identity?.Invoke(request);
        StringBuilder? text = null;
        var headers = request.Headers.NonValidated;
        foreach (var name in _identityHeaders)
        {
            if (!headers.TryGetValues(name, out var values))
                continue;
            text ??= new StringBuilder();
            text.Append(name.ToLowerInvariant()).Append(':').AppendJoin('\n', values).Append('\n');
        }
        if (text is null && custom is null)
            return "";
        (text ??= new StringBuilder()).Append("identity:").Append(custom);
        return Hash(text.ToString());
    }

    /// <summary>128 bits of SHA-256, hex: enough to never collide by chance, and nothing a reader can turn back into the input.</summary>
    private static string Hash(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
