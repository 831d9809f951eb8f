namespace Salvo.Sandbox.Json;

/// <summary>The JSON body of every error the Sandbox answers, e.g. <c>{"error":"not_found","message":"..."}</c>.</summary>
internal sealed record ErrorBody(string Error, string? Message = null);
