namespace Salvo.Sandbox.Data;

/// <summary>An amount of one currency.</summary>
internal sealed record Money(decimal Amount, string Currency);
