using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Salvo.Sandbox.Behaviors;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Json;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Auth;

/// <summary>
/// <c>POST /auth/token</c>: the OAuth 2.0 client-credentials grant (RFC 6749 section 4.4) and the refresh-token grant
/// (section 6, with rotation: every refresh token works once and the answer carries the next), with the client
/// authenticated by HTTP Basic or by <c>client_id</c>/<c>client_secret</c> form fields. <c>POST /auth/revoke</c> revokes a
/// token (RFC 7009). <see cref="SandboxOptions.TokenEndpointFailure"/> and <see cref="SandboxOptions.TokenEndpointStall"/>
/// make the token endpoint fail or hang.
/// </summary>
internal sealed class TokenEndpoint(SandboxRuntime runtime)
{
    public static void Map(IEndpointRouteBuilder routes, SandboxRuntime runtime)
    {
        var endpoint = new TokenEndpoint(runtime);
        routes.MapPost("/auth/token", endpoint.IssueAsync).WithMetadata(RouteBehaviors.Token);
        routes.MapPost("/auth/revoke", endpoint.RevokeAsync).WithMetadata(RouteBehaviors.Token);
    }

    private async Task IssueAsync(HttpContext context)
    {
        runtime.Stats.TokenRequested();
        // Token responses must never be stored (RFC 6749 section 5.1), errors included.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        var options = runtime.Options;
        if (options.TokenEndpointStall)
        {
            runtime.Stats.Hang();
            await RequestAbort.WaitAsync(context.RequestAborted);
            return;
        }
        if (options.TokenEndpointFailure is { } failure)
        {
            await JsonResponses.ErrorAsync(context, failure, failure >= 500 ? "temporarily_unavailable" : "invalid_request", "The token endpoint is failing on purpose.");
            return;
        }
        var form = await ReadFormAsync(context, "grant_type=client_credentials or grant_type=refresh_token");
        if (form is null)
            return;
        var grantType = form["grant_type"].ToString();
        if (grantType.Length == 0)
        {
            await JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "grant_type is required.");
            return;
        }
        if (grantType is not ("client_credentials" or "refresh_token"))
        {
            await JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "unsupported_grant_type");
            return;
        }
        if (await AuthenticateAsync(context, form) is not { } clientId)
            return;
        string? refreshToken = null;
        if (grantType == "refresh_token")
        {
            if (!runtime.Tokens.Redeem(form["refresh_token"].ToString(), clientId))
            {
                await JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_grant", "The refresh token is unknown, expired, revoked or already used.");
                return;
            }
            refreshToken = runtime.IssueRefreshToken(clientId);
            runtime.Stats.RefreshTokenRotated();
        }
        var token = runtime.IssueToken(clientId);
        var body = new TokenResponse(token, "Bearer", runtime.TokenLifetime.TotalSeconds, refreshToken);
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, body, SandboxJsonContext.Api.TokenResponse);
    }

    /// <summary>RFC 7009: the client authenticates, and the answer is 200 whether or not the token was live.</summary>
    private async Task RevokeAsync(HttpContext context)
    {
        var form = await ReadFormAsync(context, "token=<the token>");
        if (form is null || await AuthenticateAsync(context, form) is null)
            return;
        if (runtime.Tokens.Revoke(form["token"].ToString()))
            runtime.Stats.TokensRevoked(1);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static async Task<IFormCollection?> ReadFormAsync(HttpContext context, string expected)
    {
        if (context.Request.HasFormContentType)
            return await context.Request.ReadFormAsync(context.RequestAborted);
        await JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", $"Send application/x-www-form-urlencoded with {expected}.");
        return null;
    }

    /// <summary>The client id when the credentials are right; otherwise answers 401 <c>invalid_client</c> and returns <see langword="null"/>.</summary>
    private async Task<string?> AuthenticateAsync(HttpContext context, IFormCollection form)
    {
        var credentials = ClientCredentials.From(context.Request, form);
        var options = runtime.Options;
        if (credentials is not null
            && string.Equals(credentials.ClientId, options.ClientId, StringComparison.Ordinal)
            && string.Equals(credentials.ClientSecret, options.ClientSecret, StringComparison.Ordinal))
        {
            return credentials.ClientId;
        }
        runtime.Stats.Unauthorized();
        if (credentials?.FromBasicHeader == true)
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"sandbox\"";
        await JsonResponses.ErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_client");
        return null;
    }
}
