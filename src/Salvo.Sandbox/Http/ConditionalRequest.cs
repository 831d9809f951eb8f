using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Salvo.Sandbox.Http;

/// <summary>Evaluates <c>If-None-Match</c> and <c>If-Modified-Since</c> as RFC 9110 section 13 describes for GET.</summary>
internal static class ConditionalRequest
{
    public static bool IsNotModified(HttpRequest request, string etag, DateTimeOffset lastModified)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            // If-None-Match uses the weak comparison: W/"x" matches "x". When present, If-Modified-Since is ignored.
            if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
                return false;
            var current = EntityTagHeaderValue.Parse(etag);
            return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
        }
        var ifModifiedSince = request.GetTypedHeaders().IfModifiedSince;
        return ifModifiedSince is { } since && lastModified <= since;
    }
}
