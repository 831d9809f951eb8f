using System.Globalization;
using Microsoft.AspNetCore.Http;
using Salvo.Sandbox.Auth;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.RateLimiting;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Behaviors;

/// <summary>
/// Applies <see cref="SandboxOptions.RateLimits"/> per caller (the <c>X-Api-Key</c> header, else the bearer token,
/// else "anonymous"), advertises the windows on every response, and answers 429 with <c>Retry-After</c> beyond them.
/// </summary>
internal sealed class RateLimitMiddleware(SandboxRuntime runtime)
{
    public const string ApiKeyHeader = "X-Api-Key";
    public const string AnonymousKey = "anonymous";

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var spec = runtime.Options.RateLimits;
        if (string.IsNullOrWhiteSpace(spec) || !BehaviorContext.Has(context, SandboxBehaviors.RateLimit))
            return next(context);

        var now = runtime.TimeProvider.GetUtcNow();
        var decision = runtime.RateLimiter.TryAcquire(spec, CallerKey(context.Request), now);
        if (decision is null)
            return next(context);
        RateLimitHeaders.Apply(context.Response.Headers, decision, now);
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
