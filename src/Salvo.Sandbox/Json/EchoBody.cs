namespace Salvo.Sandbox.Json;

/// <summary>What <c>/echo</c> saw: the request line, every header (Authorization included: it is a test server) and the body as text.</summary>
internal sealed record EchoBody(
    string Method,
    string Path,
    string Query,
    string Protocol,
    string ConnectionId,
    Dictionary<string, string> Headers,
    string Body);
