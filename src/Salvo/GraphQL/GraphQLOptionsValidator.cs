using Microsoft.Extensions.Options;
using Salvo.Realtime;

namespace Salvo.GraphQL;

/// <summary>Checks a <see cref="GraphQLOptions"/>; nested in <see cref="SalvoClientOptionsValidator"/>.</summary>
public sealed class GraphQLOptionsValidator : IValidateOptions<GraphQLOptions>
{
    /// <summary>The shared instance.</summary>
    public static GraphQLOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GraphQLOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Endpoint))
            failures.Add("Endpoint must not be empty.");
        if (options.WebSocketEndpoint is { } ws && (!ws.IsAbsoluteUri || (ws.Scheme != Uri.UriSchemeWs && ws.Scheme != Uri.UriSchemeWss)))
            failures.Add($"WebSocketEndpoint must be an absolute ws or wss URL (got '{Telemetry.Redaction.RedactUrl(ws)}').");
        RealtimeOptionsValidator.Positive(failures, "KeepAliveInterval", options.KeepAliveInterval);
        RealtimeOptionsValidator.Positive(failures, "PongTimeout", options.PongTimeout);
        RealtimeOptionsValidator.Positive(failures, "ConnectionAckTimeout", options.ConnectionAckTimeout);
        if (options.MaxMessageSize < 1024)
            failures.Add($"MaxMessageSize must be at least 1024 bytes (got {options.MaxMessageSize}).");
        if (options.SubscriptionBuffer < 1)
            failures.Add($"SubscriptionBuffer must be at least 1 (got {options.SubscriptionBuffer}).");
        RealtimeOptionsValidator.Reconnect(failures, options.Reconnect);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
