using System.Globalization;
using Microsoft.AspNetCore.Http;
using Salvo.Sandbox.Auth;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.RateLimiting;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Behaviors;

/// <summary>
/// Applies <see cref="SandboxOptions.RateLimits"/> per caller (the <c>X-Api-Key</c> header, else the bearer token,
/// else "anonymous"), advertises the windows on every response (in <see cref="SandboxOptions.RateLimitHeaders"/>), and
/// answers 429 with <c>Retry-After</c> beyond them. Before any quota is spent, a share
/// <see cref="SandboxOptions.ServiceLimitRate"/> of requests is answered 429 for backend load (<c>X-Rate-Limit-Type: service</c>).
/// </summary>
internal sealed class RateLimitMiddleware(SandboxRuntime runtime)
{
    public const string ApiKeyHeader = "X-Api-Key";
    public const string AnonymousKey = "anonymous";

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var options = runtime.Options;
        if (!BehaviorContext.Has(context, SandboxBehaviors.RateLimit))
            return next(context);
        if (options.ServiceLimitRate > 0 && runtime.Random.NextDouble() < options.ServiceLimitRate)
        {
            runtime.Stats.ServiceLimited();
            context.Response.Headers.RetryAfter = "1";
            context.Response.Headers["X-Rate-Limit-Type"] = "service";
            return JsonResponses.ErrorAsync(context, StatusCodes.Status429TooManyRequests, "service_busy",
                "The service is shedding load; retry after 1 s. No rate limit was exceeded.");
        }
        var spec = options.RateLimits;
        if (string.IsNullOrWhiteSpace(spec))
            return next(context);

        var now = runtime.TimeProvider.GetUtcNow();
        var decision = runtime.RateLimiter.TryAcquire(spec, CallerKey(context.Request), now);
        if (decision is null)
            return next(context);
        RateLimitHeaders.Apply(context.Response.Headers, decision, now, options.RateLimitHeaders);
        if (decision.Admitted)
            return next(context);

        runtime.Stats.RateLimited();
        var retryAfter = RateLimitHeaders.CeilingSeconds(decision.RetryAfter);
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-Rate-Limit-Type"] = "application";
        return JsonResponses.ErrorAsync(context, StatusCodes.Status429TooManyRequests, "rate_limited",
            $"Rate limit exceeded; retry after {retryAfter} s.");
    }

    private static string CallerKey(HttpRequest request)
    {
        var apiKey = request.Headers[ApiKeyHeader].ToString();
        if (apiKey.Length > 0)
            return "key:" + apiKey;
        return BearerToken.From(request) is { } token ? "token:" + token : AnonymousKey;
    }
}
