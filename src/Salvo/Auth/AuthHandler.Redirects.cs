using System.Net;

namespace Salvo.Auth;

public sealed partial class AuthHandler
{
    /// <summary>
    /// Puts the credential on a request to the credential's origin, or takes it off a hop to another origin. Returns the
    /// URL without the credential when a query parameter carries it, to put back after the send.
    /// </summary>
    private Uri? Attach(HttpRequestMessage request, TokenEntry entry, bool sameOrigin)
    {
        if (sameOrigin)
            return Attach(request, entry);
        _auth.Placement.Remove(request);
        LogCredentialDropped(request);
        return null;
    }

    /// <summary>Where a redirect points, or <see langword="null"/> when it is not one to follow (not a redirect, no Location, https to http).</summary>
    private static Uri? NextLocation(HttpRequestMessage request, HttpResponseMessage response)
    {
        if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
            return null;
        var next = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
        if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
            return null;
        return request.RequestUri!.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp ? null : next;
    }

    /// <summary>The same rewrite as browsers and <see cref="SocketsHttpHandler"/>: POST becomes GET on 301/302, anything but HEAD becomes GET on 303.</summary>
    private static void Redirect(HttpRequestMessage request, HttpStatusCode status, Uri next)
    {
        var toGet = status switch
        {
            HttpStatusCode.Moved or HttpStatusCode.Found => request.Method == HttpMethod.Post,
            HttpStatusCode.SeeOther => request.Method != HttpMethod.Head,
            _ => false,
        };
        if (toGet)
        {
            request.Method = HttpMethod.Get;
            request.Content = null; // not disposed: a replay after a 401 restores the original body
        }
        request.RequestUri = next;
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
