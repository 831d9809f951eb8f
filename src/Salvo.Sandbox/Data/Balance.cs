namespace Salvo.Sandbox.Data;

/// <summary>The body of <c>GET /user/balance</c>.</summary>
internal sealed record Balance(Money Available, Money Vault);
