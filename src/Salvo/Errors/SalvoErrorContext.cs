namespace Salvo;

/// <summary>What an exception knows about the call it belongs to. Every value is already redacted.</summary>
/// <param name="Method">The HTTP method, e.g. <c>GET</c>.</param>
/// <param name="Url">The request URL with secrets redacted.</param>
/// <param name="Attempts">How many attempts were made.</param>
public sealed record SalvoErrorContext(string? Method, string? Url, int Attempts = 1);
