using System.Text;
using Salvo.Pipeline;
using Salvo.Telemetry;

namespace Salvo.Http;

/// <summary>Builds the requests Salvo sends: URL resolution, default query, default headers, HTTP version.</summary>
internal sealed class RequestFactory
{
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly string? _userAgent;
    private readonly string? _defaultQuery;
    private readonly Version _version;

    public RequestFactory(SalvoClientOptions options, Uri? baseAddress)
    {
        BaseAddress = Normalize(baseAddress);
        _headers = [.. options.DefaultHeaders];
        _userAgent = options.UserAgent;
        _defaultQuery = options.DefaultQuery.Count == 0 ? null : string.Join('&',
            options.DefaultQuery.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        _version = options.Pool.HttpVersion;
    }

    public Uri? BaseAddress { get; }

    public SalvoRequestMessage Create(HttpMethod method, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var request = new SalvoRequestMessage(method, Resolve(url));
        Prepare(request);
        return request;
    }

    /// <summary>Gives a caller-built request the client's base address, defaults and version policy.</summary>
    public void Adopt(HttpRequestMessage request)
    {
        var uri = request.RequestUri;
        if (uri is null || !uri.IsAbsoluteUri)
            request.RequestUri = Resolve(uri?.OriginalString ?? "");
        else
            CheckScheme(uri, uri.OriginalString);
        AddDefaultHeaders(request);
    }

    private void Prepare(HttpRequestMessage request)
    {
        request.Version = _version;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        AddDefaultHeaders(request);
    }

    private void AddDefaultHeaders(HttpRequestMessage request)
    {
        foreach (var (name, value) in _headers)
        {
            if (!request.Headers.Contains(name))
                request.Headers.TryAddWithoutValidation(name, value);
        }
        // By name, not through the typed UserAgent collection, which would be built (and the value parsed) on every call.
        if (_userAgent is not null && !request.Headers.NonValidated.Contains("User-Agent"))
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
    }

    private Uri Resolve(string url)
    {
        Uri? uri;
        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out uri))
                throw Invalid(url, "is not a valid URL");
            return uri;
        }
        if (BaseAddress is null)
            throw Invalid(url, "is relative and the client has no BaseAddress");
        var relative = _defaultQuery is null ? url : url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + _defaultQuery;
        if (!Uri.TryCreate(BaseAddress, relative, out uri))
            throw Invalid(url, "is not a valid URL");
        CheckScheme(uri, url);
        return uri;
    }

    private static void CheckScheme(Uri uri, string original)
    {
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            throw Invalid(original, "is not an http or https URL");
    }

    private static SalvoInvalidRequestException Invalid(string url, string problem) =>
        new($"'{Redaction.RedactUrl(url)}' {problem}.");

    private static Uri? Normalize(Uri? baseAddress)
    {
        if (baseAddress is null || baseAddress.AbsolutePath.EndsWith('/'))
            return baseAddress;
        // "https://api/v1" + "games" would resolve to "https://api/games" (RFC 3986); users mean "/v1/games".
        var builder = new UriBuilder(baseAddress);
        builder.Path += "/";
        return builder.Uri;
    }
}
