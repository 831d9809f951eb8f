namespace Salvo.Sandbox.Data;

/// <summary>Decimal odds of a three-way market (every sport in the Sandbox can end in a draw).</summary>
internal sealed record Odds(double Home, double Draw, double Away);
