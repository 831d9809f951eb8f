namespace Salvo.Sandbox.Data;

/// <summary>A casino game, as served by <c>GET /casino/games</c>.</summary>
internal sealed record Game(string Id, string Name, string Category, string Provider, double Rtp);
