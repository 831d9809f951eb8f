using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Salvo.Sandbox.Behaviors;
using Salvo.Sandbox.Data;
using Salvo.Sandbox.Http;
using Salvo.Sandbox.Json;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox.Endpoints;

/// <summary>
/// <c>GET /casino/games[?category=]</c> and <c>GET /casino/games/{id}</c>: public catalogue data, cacheable for
/// five minutes and revalidated with a strong ETag. Bodies are serialized once at start.
/// </summary>
internal sealed class GamesEndpoints
{
    private const string CacheControl = "public, max-age=300";

    private readonly SandboxRuntime _runtime;
    private readonly CacheableBody _all;
    private readonly Dictionary<string, CacheableBody> _byCategory;
    private readonly Dictionary<string, CacheableBody> _byId;

    private GamesEndpoints(SandboxRuntime runtime)
    {
        _runtime = runtime;
        var games = runtime.Data.Games;
        _all = List(games);
        _byCategory = GameCategories.All.ToDictionary(
            c => c, c => List(games.Where(g => g.Category == c)), StringComparer.OrdinalIgnoreCase);
        _byId = games.ToDictionary(
            g => g.Id, g => CacheableBody.Create(JsonSerializer.SerializeToUtf8Bytes(g, SandboxJsonContext.Api.Game)), StringComparer.Ordinal);
    }

    public static void Map(IEndpointRouteBuilder routes, SandboxRuntime runtime)
    {
        var endpoints = new GamesEndpoints(runtime);
        routes.MapGet("/casino/games", endpoints.ListAsync).WithMetadata(RouteBehaviors.Api);
        routes.MapGet("/casino/games/{id}", endpoints.GetAsync).WithMetadata(RouteBehaviors.Api);
    }

    private Task ListAsync(HttpContext context)
    {
        var category = context.Request.Query["category"].ToString();
        if (category.Length == 0)
            return CacheableResponses.WriteAsync(context, _runtime, _all, CacheControl);
        return _byCategory.TryGetValue(category, out var body)
            ? CacheableResponses.WriteAsync(context, _runtime, body, CacheControl)
            : JsonResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, "unknown_category",
                $"Category '{category}' does not exist; use one of {string.Join(", ", GameCategories.All)}.");
    }

    private Task GetAsync(HttpContext context)
    {
        var id = context.Request.RouteValues["id"] as string ?? "";
        return _byId.TryGetValue(id, out var body)
            ? CacheableResponses.WriteAsync(context, _runtime, body, CacheControl)
            : JsonResponses.ErrorAsync(context, StatusCodes.Status404NotFound, "not_found", $"Game '{id}' does not exist.");
    }

    private static CacheableBody List(IEnumerable<Game> games) =>
        CacheableBody.Create(JsonSerializer.SerializeToUtf8Bytes([.. games], SandboxJsonContext.Api.GameArray));
}
