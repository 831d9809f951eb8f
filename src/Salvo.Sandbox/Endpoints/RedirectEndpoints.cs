using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Salvo.Sandbox.Behaviors;
using Salvo.Sandbox.Http;

namespace Salvo.Sandbox.Endpoints;

/// <summary>
/// Redirects: <c>/redirect/{n}</c> (a chain of n hops ending at <c>/echo</c>), <c>/redirect-loop</c> (to itself) and
/// <c>/redirect-to?url=</c> (to another loopback origin, to check that clients drop credentials across origins).
/// Locations are relative except for <c>/redirect-to</c>.
/// </summary>
internal static class RedirectEndpoints
{
    public const int MaxHops = 1000;

    private static readonly int[] RedirectStatuses = [301, 302, 303, 307, 308];

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/redirect/{n}", ChainAsync).WithMetadata(RouteBehaviors.Helper);
        routes.MapGet("/redirect-loop", context => Redirect(context, StatusCodes.Status302Found, "/redirect-loop"))
            .WithMetadata(RouteBehaviors.Helper);
        routes.MapGet("/redirect-to", ToAsync).WithMetadata(RouteBehaviors.Helper);
    }

    private static Task ChainAsync(HttpContext context)
    {
        if (!RouteNumber.TryGet(context, "n", 1, MaxHops, out var n))
            return JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_hops", $"Use 1 to {MaxHops} hops.");
        return Redirect(context, StatusCodes.Status302Found, n == 1 ? "/echo" : $"/redirect/{(n - 1).ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Only loopback targets: the Sandbox must never point a client at the outside world.</summary>
    private static Task ToAsync(HttpContext context)
    {
        var url = context.Request.Query["url"].ToString();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https") || !target.IsLoopback)
            return JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_url", "url must be an absolute http(s) loopback URL.");
        var statusText = context.Request.Query["status"].ToString();
        var status = StatusCodes.Status302Found;
        if (statusText.Length > 0
            && (!int.TryParse(statusText, NumberStyles.None, CultureInfo.InvariantCulture, out status) || !RedirectStatuses.Contains(status)))
        {
            return JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_status", "status must be 301, 302, 303, 307 or 308.");
        }
        return Redirect(context, status, target.AbsoluteUri);
    }

    private static Task Redirect(HttpContext context, int status, string location)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
