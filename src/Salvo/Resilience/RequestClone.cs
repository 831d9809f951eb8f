using System.Net.Http.Headers;
using Salvo.Pipeline;

namespace Salvo.Resilience;

/// <summary>
/// A copy of a request for an attempt that runs at the same time as the original (a hedge) or outlives its call (a
/// cache refresh): the handlers below (auth setting a header, the transport following a redirect) write to the request
/// they are given, so two attempts must never share one.
/// </summary>
/// <remarks>
/// <para>What the copy needs is taken from the original before it is sent, while nothing else touches it
/// (<see cref="Capture"/>): references to the method, URL, version, body, context and settings, and the headers' values.
/// The copy itself is built only if it is sent (<see cref="Build"/>), so a call whose hedge never fires pays for no
/// request, no header store, and — with no header, or one — no allocation at all.</para>
/// <para>The body is shared: only bodies that can be read twice at once are copied (none, or bytes). For a request Salvo
/// built the context is shared by reference, so the copy shares the call's budget and attempt count; any other request is
/// copied whole at capture, its options dictionary with it (a handler below may add to that dictionary).</para>
/// </remarks>
internal struct RequestClone
{
    private HttpRequestMessage? _copy;
    private HttpMethod _method;
    private Uri _uri;
    private Version _version;
    private HttpVersionPolicy _versionPolicy;
    private HttpContent? _content;
    private SalvoRequestContext? _context;
    private SalvoRequestSettings? _settings;
    private string? _headerName;
    private HeaderStringValues _headerValues;
    private KeyValuePair<string, HeaderStringValues>[]? _headers;

    /// <summary>Takes what a copy of <paramref name="request"/> needs, before anything below can write to it.</summary>
    /// <param name="request">The request to copy later; its <see cref="HttpRequestMessage.RequestUri"/> is absolute.</param>
    public static RequestClone Capture(HttpRequestMessage request)
    {
        if (request is not SalvoRequestMessage salvo)
            return new RequestClone { _copy = CopyPlain(request, detached: false) };
        var clone = new RequestClone
        {
            _method = request.Method,
            _uri = request.RequestUri!,
            _version = request.Version,
            _versionPolicy = request.VersionPolicy,
            _content = request.Content,
            _context = salvo.Context,
            _settings = salvo.Settings,
        };
        var headers = request.Headers.NonValidated;
        var count = headers.Count;
        if (count == 0)
            return clone;
        // One header (Salvo's User-Agent) fits in the fields; the values of a header added as text are that text, not a copy.
        var i = 0;
        var many = count == 1 ? null : new KeyValuePair<string, HeaderStringValues>[count];
        foreach (var header in headers)
        {
            if (many is null)
                (clone._headerName, clone._headerValues) = (header.Key, header.Value);
            else if (i < many.Length)
                many[i++] = header;
        }
        clone._headers = many;
        return clone;
    }

    /// <summary>A copy of <paramref name="request"/>, made now.</summary>
    /// <param name="request">The request to copy.</param>
    /// <param name="detached">Whether the copy is a call of its own (a background cache refresh): no shared context, so no shared budget.</param>
    public static HttpRequestMessage Of(HttpRequestMessage request, bool detached = false)
    {
        if (request is not SalvoRequestMessage)
            return CopyPlain(request, detached);
        var clone = Capture(request);
        if (detached)
            clone._context = null;
        return clone.Build();
    }

    /// <summary>Builds the copy from what <see cref="Capture"/> took. Call it once: a request can be sent only once.</summary>
    public readonly HttpRequestMessage Build()
    {
        if (_copy is not null)
            return _copy;
        var copy = new SalvoRequestMessage(_method, _uri)
        {
            Context = _context,
            Settings = _settings,
            Version = _version,
            VersionPolicy = _versionPolicy,
            Content = _content,
        };
        if (_headerName is not null)
            Add(copy, _headerName, _headerValues);
        foreach (var (name, values) in _headers ?? [])
            Add(copy, name, values);
        return copy;
    }

    private static HttpRequestMessage CopyPlain(HttpRequestMessage request, bool detached)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
            Content = request.Content,
        };
        foreach (var header in request.Headers.NonValidated)
            Add(copy, header.Key, header.Value);
        IDictionary<string, object?> options = copy.Options;
        foreach (var option in request.Options)
        {
            if (!detached || option.Value is not SalvoRequestContext)
                options[option.Key] = option.Value;
        }
        return copy;
    }

    private static void Add(HttpRequestMessage copy, string name, HeaderStringValues values)
    {
        // A single value (nearly every header) goes over as the string it is, without boxing the values to enumerate them.
        if (values.Count == 1)
            copy.Headers.TryAddWithoutValidation(name, values.ToString());
        else
            copy.Headers.TryAddWithoutValidation(name, values);
    }
}
