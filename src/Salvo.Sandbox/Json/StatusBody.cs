namespace Salvo.Sandbox.Json;

/// <summary>The body of <c>/status/{code}</c>: <c>{"status":code}</c>.</summary>
internal sealed record StatusBody(int Status);
