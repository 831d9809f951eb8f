using System.Text;

namespace Salvo.Telemetry;

/// <summary>
/// Removes secrets from what Salvo writes anywhere (logs, exception messages, activity tags): credentials
/// in a URL's user-info part, the values of query parameters whose names look secret, and secret headers.
/// </summary>
/// <remarks>
/// A query parameter is secret when its name, compared case-insensitively, contains one of
/// <c>key</c>, <c>token</c>, <c>secret</c>, <c>sig</c> (signature), <c>pass</c> (password, passphrase),
/// <c>auth</c>, <c>session</c>, <c>credential</c>, <c>cookie</c>, or is exactly <c>code</c> (OAuth codes).
/// Erring toward redaction costs a little diagnostic detail; erring the other way leaks a key into a log.
/// </remarks>
public static class Redaction
{
    /// <summary>The text that replaces a secret value.</summary>
    /// <value>The value is <c>***</c>.</value>
    public const string Mask = "***";

    private static readonly string[] SecretNameParts =
        ["key", "token", "secret", "sig", "pass", "auth", "session", "credential", "cookie"];

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "Api-Key", "X-Riot-Token",
        "X-Auth-Token", "X-Access-Token", "X-Amz-Security-Token", "X-Csrf-Token", "X-Xsrf-Token",
    };

    /// <summary>Whether a header's value must never be written anywhere.</summary>
    /// <param name="headerName">The header name.</param>
    /// <returns><see langword="true"/> for Authorization, cookies, API keys and any name that looks secret.</returns>
    public static bool IsSecretHeader(string headerName)
    {
        ArgumentNullException.ThrowIfNull(headerName);
        return SecretHeaders.Contains(headerName) || LooksSecret(headerName);
    }

    /// <summary>Whether a query parameter's value must be masked.</summary>
    /// <param name="name">The parameter name (not URL-decoded is fine).</param>
    /// <returns><see langword="true"/> when the name looks like it carries a secret.</returns>
    public static bool IsSecretQueryParameter(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Equals("code", StringComparison.OrdinalIgnoreCase) || LooksSecret(name);
    }

    /// <summary>Returns the URL with user-info removed and secret query values replaced by <see cref="Mask"/>.</summary>
    /// <param name="uri">The URL; a relative URL is redacted the same way.</param>
    /// <returns>The redacted URL text, or <see langword="null"/> for a null URL.</returns>
    public static string? RedactUrl(Uri? uri)
    {
        if (uri is null)
            return null;
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return RedactUrl(uri.OriginalString); // other schemes may not parse a query; redact the text as given

        var text = string.IsNullOrEmpty(uri.UserInfo)
            ? uri.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped)
            : uri.GetComponents(UriComponents.HttpRequestUrl & ~UriComponents.UserInfo, UriFormat.UriEscaped);
        return RedactQuery(text);
    }

    /// <summary>Redacts a URL given as text, even one that does not parse: user-info removed, secret query values masked.</summary>
    /// <param name="url">The URL text.</param>
    /// <returns>The redacted text.</returns>
    public static string RedactUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var hostStart = scheme + 3;
            var pathStart = url.IndexOfAny(['/', '?', '#'], hostStart);
            var authorityEnd = pathStart < 0 ? url.Length : pathStart;
            var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - hostStart);
            if (at >= 0)
                url = string.Concat(url.AsSpan(0, hostStart), url.AsSpan(at + 1));
        }
        return RedactQuery(url);
    }

    /// <summary>Masks the values of secret parameters in the query part of a URL string.</summary>
    /// <param name="url">A URL or path with an optional query.</param>
    /// <returns>The same text with secret values replaced by <see cref="Mask"/>.</returns>
    public static string RedactQuery(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var q = url.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
            return url;
        var hash = url.IndexOf('#', q);
        var end = hash < 0 ? url.Length : hash;
        var query = url.AsSpan(q + 1, end - q - 1);
        if (!AnySecret(query))
            return hash < 0 ? url : url[..hash];

        var sb = new StringBuilder(url.Length);
        sb.Append(url, 0, q + 1);
        var first = true;
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            if (!first)
                sb.Append('&');
            first = false;
            var eq = pair.IndexOf('=');
            var name = eq < 0 ? pair : pair[..eq];
            if (eq >= 0 && IsSecretQueryParameter(Uri.UnescapeDataString(name.ToString())))
                sb.Append(name).Append('=').Append(Mask);
            else
                sb.Append(pair);
        }
        return sb.ToString();
    }

    private static bool AnySecret(ReadOnlySpan<char> query)
    {
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var eq = pair.IndexOf('=');
            if (eq >= 0 && IsSecretQueryParameter(Uri.UnescapeDataString(pair[..eq].ToString())))
                return true;
        }
        return false;
    }

    private static bool LooksSecret(string name)
    {
        foreach (var part in SecretNameParts)
        {
            if (name.Contains(part, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
