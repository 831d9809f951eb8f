using Microsoft.AspNetCore.Http;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Behaviors;

/// <summary>
/// Injects failures after the latency, as a struggling server would: with one random draw per request,
/// a share <see cref="SandboxOptions.HangRate"/> never answers, the next <see cref="SandboxOptions.ResetRate"/>
/// has its connection aborted, and the next <see cref="SandboxOptions.FaultRate"/> gets a random 500/502/503/504.
/// </summary>
internal sealed class ChaosMiddleware(SandboxRuntime runtime)
{
    private static readonly int[] FaultStatuses =
    [
        StatusCodes.Status500InternalServerError,
        StatusCodes.Status502BadGateway,
        StatusCodes.Status503ServiceUnavailable,
        StatusCodes.Status504GatewayTimeout,
    ];

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var options = runtime.Options;
        var (hang, reset, fault) = (Rate(options.HangRate), Rate(options.ResetRate), Rate(options.FaultRate));
        if (hang + reset + fault <= 0 || !BehaviorContext.Has(context, SandboxBehaviors.Chaos))
            return next(context);

        var draw = runtime.Random.NextDouble();
        if (draw < hang)
        {
            runtime.Stats.Hang();
            return RequestAbort.WaitAsync(context.RequestAborted);
        }
        if (draw < hang + reset)
        {
            runtime.Stats.ConnectionReset();
            context.Abort();
            return Task.CompletedTask;
        }
        if (draw < hang + reset + fault)
        {
            runtime.Stats.FaultInjected();
            var status = FaultStatuses[runtime.Random.Next(0, FaultStatuses.Length)];
            return JsonResponses.ErrorAsync(context, status, "injected_fault", "The Sandbox failed this request on purpose.");
        }
        return next(context);
    }

    private static double Rate(double value) => double.IsNaN(value) ? 0 : Math.Clamp(value, 0, 1);
}
