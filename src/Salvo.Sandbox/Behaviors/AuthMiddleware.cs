using Microsoft.AspNetCore.Http;
using Salvo.Sandbox.Auth;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Behaviors;

/// <summary>
/// When <see cref="SandboxOptions.TokenLifetime"/> is set, API requests need a live bearer token; otherwise 401
/// with <c>WWW-Authenticate: Bearer error="invalid_token"</c> (RFC 6750). Runs before the rate limiter, so
/// rejected requests spend no caller's budget.
/// </summary>
internal sealed class AuthMiddleware(SandboxRuntime runtime)
{
    public const string Challenge = "Bearer error=\"invalid_token\"";

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (runtime.Options.TokenLifetime is null || !BehaviorContext.Has(context, SandboxBehaviors.Auth))
            return next(context);
        var token = BearerToken.From(context.Request);
        if (token is not null && runtime.Tokens.Validate(token))
            return next(context);

        runtime.Stats.Unauthorized();
        context.Response.Headers.WWWAuthenticate = Challenge;
        var message = token is null
            ? "A bearer token is required; get one from POST /auth/token."
            : "The token is unknown, expired or revoked.";
        return JsonResponses.ErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_token", message);
    }
}
