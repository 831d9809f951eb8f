namespace Salvo.Auth;

/// <summary>
/// A credential as a name and a value, for a connection that is not an HTTP request Salvo sends: a WebSocket handshake
/// header, a GraphQL <c>connection_init</c> payload, an SSE reconnect. <see cref="ToString"/> never shows the value.
/// </summary>
/// <param name="Name">Where it goes: <c>Authorization</c>, the API key's header, or the query parameter when <paramref name="IsQueryParameter"/>.</param>
/// <param name="Value">The secret value, e.g. <c>Bearer abc</c> or the raw key. Never log it.</param>
/// <param name="IsQueryParameter">Whether <paramref name="Name"/> is a query parameter (<see cref="SalvoAuth.ApiKeyInQuery"/>) rather than a header.</param>
public readonly record struct SalvoCredential(string Name, string Value, bool IsQueryParameter)
{
    /// <summary>Describes the credential without its value.</summary>
    /// <returns>The name and a mask.</returns>
    public override string ToString() => $"{Name}: {Telemetry.Redaction.Mask}";
}
