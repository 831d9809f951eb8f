using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Salvo.Sandbox.Behaviors;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Json;

namespace Salvo.Sandbox.Endpoints;

/// <summary><c>GET /status/{code}[?retry_after=N]</c>: answers any status from 200 to 599 with <c>{"status":code}</c>.</summary>
internal static class StatusEndpoints
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/status/{code}", StatusAsync).WithMetadata(RouteBehaviors.Helper);

    private static Task StatusAsync(HttpContext context)
    {
        if (!RouteNumber.TryGet(context, "code", 200, 599, out var longCode))
            return JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_status", "Use a status from 200 to 599.");
        var code = (int)longCode;
        var retryAfter = context.Request.Query["retry_after"].ToString();
        if (retryAfter.Length > 0)
        {
            if (!int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                return JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_retry_after", "retry_after is whole seconds.");
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        if (code is StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent or StatusCodes.Status304NotModified)
        {
            // These statuses cannot carry a body.
            context.Response.StatusCode = code;
            return Task.CompletedTask;
        }
        return JsonResponses.WriteAsync(context, code, new StatusBody(code), SandboxJsonContext.Api.StatusBody);
    }
}
