using Salvo.Pipeline;

namespace Salvo.Resilience;

/// <summary>
/// A copy of a request for a hedge, which runs at the same time as the original: the handlers below (auth
/// setting a header, the transport following a redirect) write to the request they are given, so two attempts
/// must never share one.
/// </summary>
/// <remarks>
/// Made before the first attempt is sent, while nothing else touches the original. The body is shared: hedging
/// only takes bodies that can be read twice at once (none, or bytes). Options are copied by reference, so the
/// copy shares the call's context (its budget and attempt count) and settings.
/// </remarks>
internal static class RequestClone
{
    /// <param name="request">The request to copy.</param>
    /// <param name="detached">Whether the copy is a call of its own (a background cache refresh): no shared context, so no shared budget.</param>
    public static HttpRequestMessage Of(HttpRequestMessage request, bool detached = false)
    {
        var clone = request is SalvoRequestMessage salvo
            ? new SalvoRequestMessage(request.Method, request.RequestUri!) { Context = detached ? null : salvo.Context, Settings = salvo.Settings }
            : new HttpRequestMessage(request.Method, request.RequestUri);
        clone.Version = request.Version;
        clone.VersionPolicy = request.VersionPolicy;
        clone.Content = request.Content;
        foreach (var header in request.Headers.NonValidated)
        {
            // A single value (nearly every header) goes over as the string it is, without boxing the values to enumerate them.
            var values = header.Value;
            if (values.Count == 1)
                clone.Headers.TryAddWithoutValidation(header.Key, values.ToString());
            else
                clone.Headers.TryAddWithoutValidation(header.Key, values);
        }
        if (request is not SalvoRequestMessage)
        {
            IDictionary<string, object?> options = clone.Options;
            foreach (var option in request.Options)
            {
                if (!detached || option.Value is not SalvoRequestContext)
                    options[option.Key] = option.Value;
            }
        }
        return clone;
    }
}
