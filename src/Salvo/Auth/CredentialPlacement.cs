namespace Salvo.Auth;

/// <summary>Where a credential goes on a request: the Authorization header (scheme and token), a named header (the raw key) or a query parameter.</summary>
internal sealed class CredentialPlacement
{
    private CredentialPlacement(string? header, string? query)
    {
        Header = header;
        Query = query;
    }

    public static CredentialPlacement Authorization { get; } = new(null, null);

    /// <summary>The header that carries the raw value, or <see langword="null"/> for Authorization or a query parameter.</summary>
    public string? Header { get; }

    /// <summary>The query parameter that carries the value, or <see langword="null"/>.</summary>
    public string? Query { get; }

    public string Name => Header ?? (Query is null ? "authorization" : "query:" + Query);

    public static CredentialPlacement InHeader(string name) => new(name, null);

    public static CredentialPlacement InQuery(string name) => new(null, name);

    /// <summary>Whether the caller already put a credential there, which then wins (a per-call override).</summary>
    public bool IsSetBy(HttpRequestMessage request) => Query is null && (Header is null ? request.Headers.Authorization is not null : request.Headers.Contains(Header));

    /// <summary>Puts the credential on the request; for a query parameter, returns the URL without it, to put back after the send.</summary>
    public Uri? Apply(HttpRequestMessage request, TokenEntry entry)
    {
        if (Query is not null)
        {
            var original = request.RequestUri!;
            var separator = string.IsNullOrEmpty(original.Query) ? "?" : "&";
            request.RequestUri = new Uri(original.GetLeftPart(UriPartial.Query) + separator + Uri.EscapeDataString(Query) + "=" + Uri.EscapeDataString(entry.Token.Value) + original.Fragment);
            return original;
        }
        if (Header is null)
        {
            request.Headers.Authorization = entry.Authorization;
        }
        else
        {
            request.Headers.Remove(Header);
            request.Headers.TryAddWithoutValidation(Header, entry.Token.Value);
        }
        return null;
    }

    /// <summary>Takes the credential off a request about to be redirected to another origin.</summary>
    public void Remove(HttpRequestMessage request)
    {
        if (Header is null)
            request.Headers.Authorization = null;
        else
            request.Headers.Remove(Header);
    }
}
