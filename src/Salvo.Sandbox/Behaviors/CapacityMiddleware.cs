using System.Globalization;
using Microsoft.AspNetCore.Http;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Behaviors;

/// <summary>
/// Models a server with finite capacity: requests in flight are counted here, <see cref="LatencyMiddleware"/>
/// slows down above <see cref="SandboxOptions.Capacity"/>, and above twice the capacity requests are shed with 503.
/// </summary>
internal sealed class CapacityMiddleware(SandboxRuntime runtime)
{
    private static readonly string RetryAfterSeconds = 1.ToString(CultureInfo.InvariantCulture);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!BehaviorContext.Has(context, SandboxBehaviors.Capacity))
        {
            await next(context);
            return;
        }
        var inFlight = runtime.Load.Enter();
        try
        {
            if (runtime.Options.Capacity is > 0 and var capacity && inFlight > 2L * capacity)
            {
                runtime.Stats.ServiceUnavailable();
                context.Response.Headers.RetryAfter = RetryAfterSeconds;
                await JsonResponses.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "overloaded",
                    $"{inFlight} requests in flight; capacity is {capacity}.");
                return;
            }
            await next(context);
        }
        finally
        {
            runtime.Load.Exit();
        }
    }
}
