using System.Globalization;
using Microsoft.AspNetCore.Http;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Behaviors;

/// <summary>
/// Injects failures after the latency, as a struggling server would: with one random draw per request,
/// a share <see cref="SandboxOptions.HangRate"/> never answers, the next <see cref="SandboxOptions.ResetRate"/>
/// has its connection aborted, and the next <see cref="SandboxOptions.FaultRate"/> gets a random 500/502/503/504.
/// During a 429 burst (<see cref="SandboxOptions.BurstInterval"/>) every request is answered 429 first.
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
        if ((hang + reset + fault <= 0 && options.BurstInterval is null) || !BehaviorContext.Has(context, SandboxBehaviors.Chaos))
            return next(context);
        if (options.BurstInterval is { } interval && InBurst(interval, options.BurstLength, out var left))
        {
            runtime.Stats.RateLimited();
            runtime.Stats.BurstRejected();
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(left.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return JsonResponses.ErrorAsync(context, StatusCodes.Status429TooManyRequests, "quota_burst", "The shared quota ran out; try again later.");
        }

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

    /// <summary>Whether the server's clock is inside a burst, and how much of it is left.</summary>
    private bool InBurst(TimeSpan interval, TimeSpan length, out TimeSpan left)
    {
        var into = TimeSpan.FromTicks(runtime.TimeProvider.GetElapsedTime(runtime.Started).Ticks % interval.Ticks);
        left = length - into;
        return into < length;
    }

    private static double Rate(double value) => double.IsNaN(value) ? 0 : Math.Clamp(value, 0, 1);
}
