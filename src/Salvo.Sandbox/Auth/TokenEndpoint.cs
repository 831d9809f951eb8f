using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Salvo.Sandbox.Behaviors;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Json;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Auth;

/// <summary>
/// <c>POST /auth/token</c>: the OAuth 2.0 client-credentials grant (RFC 6749 section 4.4), with the client
/// authenticated by HTTP Basic or by <c>client_id</c>/<c>client_secret</c> form fields.
/// </summary>
internal sealed class TokenEndpoint(SandboxRuntime runtime)
{
    public static void Map(IEndpointRouteBuilder routes, SandboxRuntime runtime)
    {
        var endpoint = new TokenEndpoint(runtime);
        routes.MapPost("/auth/token", endpoint.IssueAsync).WithMetadata(RouteBehaviors.Token);
    }

    private async Task IssueAsync(HttpContext context)
    {
        // Token responses must never be stored (RFC 6749 section 5.1), errors included.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        if (!context.Request.HasFormContentType)
        {
            await JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request",
                "Send application/x-www-form-urlencoded with grant_type=client_credentials.");
            return;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var grantType = form["grant_type"].ToString();
        if (grantType.Length == 0)
        {
            await JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "grant_type is required.");
            return;
        }
        if (grantType != "client_credentials")
        {
            await JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "unsupported_grant_type");
            return;
        }
        var credentials = ClientCredentials.From(context.Request, form);
        var options = runtime.Options;
        if (credentials is null
            || !string.Equals(credentials.ClientId, options.ClientId, StringComparison.Ordinal)
            || !string.Equals(credentials.ClientSecret, options.ClientSecret, StringComparison.Ordinal))
        {
            runtime.Stats.Unauthorized();
            if (credentials?.FromBasicHeader == true)
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"sandbox\"";
            await JsonResponses.ErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_client");
            return;
        }
        var token = runtime.IssueToken(credentials.ClientId);
        var body = new TokenResponse(token, "Bearer", (long)runtime.TokenLifetime.TotalSeconds);
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, body, SandboxJsonContext.Api.TokenResponse);
    }
}
