namespace Salvo.Sandbox.Data;

/// <summary>A sports event, as served by <c>GET /sports/events</c>.</summary>
internal sealed record SportEvent(string Id, string Sport, string Home, string Away, DateTimeOffset StartsAt, Odds Odds);
