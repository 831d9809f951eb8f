using Salvo.Pipeline;

namespace Salvo.Http;

/// <summary>Builds an error's call context only when an error is actually thrown (redaction costs a string).</summary>
internal static class ErrorContexts
{
    public static SalvoErrorContext? Of(HttpRequestMessage? request) =>
        request is null ? null : SalvoRequestContext.Find(request)?.ToErrorContext(request) ?? SalvoRequestContext.ErrorContextFor(request, 1);
}
