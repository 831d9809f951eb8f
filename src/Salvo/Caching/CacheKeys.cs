using System.Security.Cryptography;
using System.Text;
using Salvo.Telemetry;

namespace Salvo.Caching;

/// <summary>
/// Builds cache keys: method, normalised URL (query sorted, fragment and user-info dropped, secret query values hashed),
/// and a hash of the caller's identity — the credential headers and <see cref="CacheOptions.Identity"/> — never the credential.
/// </summary>
/// <param name="options">The cache options.</param>
/// <param name="credentialIdentity">
/// The non-secret identity of the client's own credential (<see cref="Auth.SalvoAuth.IdentityHash"/>), which the auth stage
/// inside the cache attaches after the key is made; <see langword="null"/> when the client has none.
/// </param>
internal sealed class CacheKeys(CacheOptions options, string? credentialIdentity = null)
{
    private readonly string[] _identityHeaders = [.. options.IdentityHeaders.Order(StringComparer.OrdinalIgnoreCase)];
    private readonly Func<HttpRequestMessage, string?>? _identity = Combine(options.Identity, credentialIdentity);
    private IdentityMemo? _memo; // replaced whole, never mutated: a torn read is impossible

    private sealed record IdentityMemo(string? Name, string? Value, string? Custom, string Hash);

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

    /// <summary>The path of a <see cref="Resource"/> (escaped, with its leading <c>/</c>, as <see cref="Uri.AbsolutePath"/>) and, in <paramref name="authority"/>, its host and port.</summary>
    public static ReadOnlySpan<char> PathOf(string resource, out ReadOnlySpan<char> authority)
    {
        var text = resource.AsSpan();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        var start = scheme < 0 ? 0 : scheme + 3;
        var slash = text[start..].IndexOf('/');
        if (slash < 0)
        {
            authority = text[start..];
            return "/";
        }
        authority = text.Slice(start, slash);
        var path = text[(start + slash)..];
        var query = path.IndexOf('?');
        return query < 0 ? path : path[..query];
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

    /// <summary>Writes <see cref="Key"/> into a span; <see langword="false"/> when it does not fit.</summary>
    public static bool TryFormatKey(Span<char> destination, string resource, string identity, out int written)
    {
        written = 4 + resource.Length + (identity.Length == 0 ? 0 : 2 + identity.Length);
        if (written > destination.Length)
            return false;
        "GET ".CopyTo(destination);
        resource.CopyTo(destination[4..]);
        if (identity.Length > 0)
        {
            " @".CopyTo(destination[(4 + resource.Length)..]);
            identity.CopyTo(destination[(6 + resource.Length)..]);
        }
        return true;
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

    /// <summary>
    /// Writes the single-flight key into a span: the cache key, plus the negotiation headers that commonly select a variant
    /// (<c>Accept</c>, <c>Accept-Language</c>), so calls that may get different answers do not share one. <see langword="false"/>
    /// when it does not fit.
    /// </summary>
    public static bool TryFormatFlightKey(Span<char> destination, string resource, string identity, HttpRequestMessage request, out int written)
    {
        var (accept, language) = Negotiation(request);
        if (!TryFormatKey(destination, resource, identity, out written))
            return false;
        if (accept is null && language is null)
            return true;
        var total = written + 2 + (accept?.Length ?? 0) + (language?.Length ?? 0);
        if (total > destination.Length)
            return false;
        var rest = destination[written..];
        rest[0] = '\n';
        accept.AsSpan().CopyTo(rest[1..]);
        rest[1 + (accept?.Length ?? 0)] = '\n';
        language.AsSpan().CopyTo(rest[(2 + (accept?.Length ?? 0))..]);
        written = total;
        return true;
    }

    /// <summary>The single-flight key as a string, for a key too long for <see cref="TryFormatFlightKey"/>'s buffer.</summary>
    public static string FlightKey(string resource, string identity, HttpRequestMessage request)
    {
        var key = Key(resource, identity);
        var (accept, language) = Negotiation(request);
        return accept is null && language is null ? key : string.Concat(key, "\n", accept, "\n", language);
    }

    private static (string? Accept, string? Language) Negotiation(HttpRequestMessage request)
    {
        var headers = request.Headers.NonValidated;
        var accept = headers.TryGetValues("Accept", out var a) ? a.ToString() : null;
        var language = headers.TryGetValues("Accept-Language", out var l) ? l.ToString() : null;
        return (accept, language);
    }

    /// <summary>A hash of who is calling, or empty when the request carries no identity.</summary>
    /// <remarks>
    /// The common shapes — one credential header with one value, or only <see cref="CacheOptions.Identity"/> — reuse the
    /// last hash while the input repeats (one caller, one token), so a hit does not pay SHA-256 each time. The memo lives in
    /// memory only, beside the request that already holds the same credential.
    /// </remarks>
    public string Identity(HttpRequestMessage request)
    {
        var custom = _identity?.Invoke(request);
        var headers = request.Headers.NonValidated;
        string? singleName = null;
        string? singleValue = null;
        var found = 0;
        foreach (var name in _identityHeaders)
        {
            if (!headers.TryGetValues(name, out var values))
                continue;
            if (++found > 1 || values.Count != 1)
                return Hash(Text(headers, custom)); // several credentials: rare, hashed each time
            singleName = name;
            singleValue = values.ToString();
        }
        if (found == 0 && custom is null)
            return "";
        var memo = _memo;
        if (memo is not null && ReferenceEquals(memo.Name, singleName) && memo.Value == singleValue && memo.Custom == custom)
            return memo.Hash;
        var hash = Hash(Text(headers, custom));
        _memo = new IdentityMemo(singleName, singleValue, custom, hash);
        return hash;
    }

    private string Text(System.Net.Http.Headers.HttpHeadersNonValidated headers, string? custom)
    {
        var text = new StringBuilder();
        foreach (var name in _identityHeaders)
        {
            if (headers.TryGetValues(name, out var values))
                text.Append(name.ToLowerInvariant()).Append(':').AppendJoin('\n', values).Append('\n');
        }
        return text.Append("identity:").Append(custom).ToString();
    }

    /// <summary>128 bits of SHA-256, hex: enough to never collide by chance, and nothing a reader can turn back into the input.</summary>
    private static string Hash(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>The caller's identity from options and from the client's credential; both when there are both.</summary>
    private static Func<HttpRequestMessage, string?>? Combine(Func<HttpRequestMessage, string?>? custom, string? credential) =>
        (custom, credential) switch
        {
            (null, null) => null,
            (null, { } id) => _ => id,
            ({ } f, null) => f,
            ({ } f, { } id) => request => f(request) is { } own ? own + "\n" + id : id,
        };
}
