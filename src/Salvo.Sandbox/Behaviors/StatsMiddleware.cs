using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Behaviors;

/// <summary>
/// First behaviour: counts the request under its route template, tracks requests in flight, answers
/// unknown paths with a JSON 404 (a known path with the wrong method still gets routing's 405), and ties the request to the server's lifetime so stopping releases it.
/// </summary>
internal sealed class StatsMiddleware(SandboxRuntime runtime)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!BehaviorContext.Has(context, SandboxBehaviors.Count))
        {
            await next(context);
            return;
        }
        var endpoint = context.GetEndpoint();
        runtime.Stats.RequestStarted(RouteKey(context.Request.Method, endpoint));
        // Stopping the server aborts every counted request, which cancels its delay or hang at once.
        using var stopping = runtime.Stopping.UnsafeRegister(static state => ((HttpContext)state!).Abort(), context);
        try
        {
            if (endpoint is null)
                await JsonResponses.ErrorAsync(context, StatusCodes.Status404NotFound, "not_found", $"No route for {context.Request.Method} {context.Request.Path}.");
            else
                await next(context);
        }
        finally
        {
            runtime.Stats.RequestEnded();
        }
    }

    private static string RouteKey(string method, Endpoint? endpoint) =>
        endpoint is RouteEndpoint { RoutePattern.RawText: { } pattern }
            ? string.Concat(method, pattern.StartsWith('/') ? " " : " /", pattern)
            : method + " (unmatched)";
}
