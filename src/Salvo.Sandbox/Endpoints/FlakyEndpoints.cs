using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Salvo.Sandbox.Behaviors;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Endpoints;

/// <summary>
/// <c>/flaky/{key}?fail=N[&amp;status=503][&amp;retry_after=S]</c> (any method): the first <c>N</c> requests for a key
/// fail with <c>status</c> (default 503, optionally with <c>Retry-After</c>), every later one answers like <c>/echo</c>.
/// Deterministic failures for retry tests: "fails twice, then works", with the body the server finally received.
/// </summary>
internal static class FlakyEndpoints
{
    private static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    public static void Map(IEndpointRouteBuilder routes, SandboxRuntime runtime) =>
        routes.MapMethods("/flaky/{key}", Methods, context => FlakyAsync(context, runtime)).WithMetadata(RouteBehaviors.Helper);

    private static async Task FlakyAsync(HttpContext context, SandboxRuntime runtime)
    {
        if (!TryQuery(context, "fail", 0, 1_000_000, 0, out var fail)
            || !TryQuery(context, "status", 200, 599, StatusCodes.Status503ServiceUnavailable, out var status)
            || !TryQuery(context, "retry_after", 0, 86_400, -1, out var retryAfter))
        {
            await JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_query", "fail is a count, status is from 200 to 599, retry_after is whole seconds.");
            return;
        }
        var key = (string)context.Request.RouteValues["key"]!;
        var seen = runtime.FlakyCounts.AddOrUpdate(key, 1, static (_, n) => n + 1);
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        if (seen <= fail)
        {
            if (retryAfter >= 0)
                context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await JsonResponses.ErrorAsync(context, status, "flaky", $"Failure {seen} of {fail} for this key.");
            return;
        }
        await EchoEndpoints.WriteEchoAsync(context, body);
    }

    private static bool TryQuery(HttpContext context, string name, int min, int max, int fallback, out int value)
    {
        var text = context.Request.Query[name].ToString();
        if (text.Length == 0)
        {
            value = fallback;
            return true;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }
}
