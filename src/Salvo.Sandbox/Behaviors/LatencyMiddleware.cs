using Microsoft.AspNetCore.Http;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Behaviors;

/// <summary>
/// Delays the request by a sample of <see cref="SandboxOptions.Latency"/>, stretched by load above
/// <see cref="SandboxOptions.Capacity"/> (latency × in flight / capacity) and, for a <see cref="SandboxOptions.SlowRate"/>
/// share of requests, by <see cref="SandboxOptions.SlowFactor"/>, on the injected clock.
/// </summary>
internal sealed class LatencyMiddleware(SandboxRuntime runtime)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (BehaviorContext.Has(context, SandboxBehaviors.Latency))
        {
            var delay = Delay();
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, runtime.TimeProvider, context.RequestAborted);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    // The client gave up (or the server is stopping): nobody is left to answer.
                    return;
                }
            }
        }
        await next(context);
    }

    private TimeSpan Delay()
    {
        var options = runtime.Options;
        var delay = runtime.Random.Sample(options.Latency ?? SandboxLatency.None);
        if (options.SlowRate > 0 && runtime.Random.NextDouble() < options.SlowRate)
        {
            delay *= options.SlowFactor;
            runtime.Stats.SlowResponse();
        }
        var inFlight = runtime.Load.InFlight;
        return runtime.Options.Capacity is > 0 and var capacity && inFlight > capacity && delay > TimeSpan.Zero
            ? delay * ((double)inFlight / capacity)
            : delay;
    }
}
