using Microsoft.Extensions.Logging;
using Salvo.Telemetry;

namespace Salvo.Auth;

public sealed partial class AuthHandler
{
    private void LogReplaying(HttpRequestMessage request, int replay, int max)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
            Replaying(_logger, request.Method.Method, Redaction.RedactUrl(request.RequestUri), _auth.Kind, _auth.IdentityHash, replay, max);
    }

    private void LogStillUnauthorized(HttpRequestMessage request, int replays)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
            StillUnauthorized(_logger, request.Method.Method, Redaction.RedactUrl(request.RequestUri), _auth.Kind, _auth.IdentityHash, replays);
    }

    private void LogNoToken(HttpRequestMessage request, string reason)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
            NoToken(_logger, request.Method.Method, Redaction.RedactUrl(request.RequestUri), _auth.Kind, _auth.IdentityHash, reason);
    }

    private void LogCredentialDropped(HttpRequestMessage request)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
            CredentialDropped(_logger, Redaction.RedactUrl(request.RequestUri), _auth.IdentityHash);
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Debug,
        Message = "{Method} {Url} answered 401; replaying with a newer token of the {Kind} credential {Identity} ({Replay} of {Max}).")]
    private static partial void Replaying(ILogger logger, string method, string? url, string kind, string identity, int replay, int max);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning,
        Message = "{Method} {Url} answered 401 again after {Replays} replay(s) with a refreshed token of the {Kind} credential {Identity}; giving up.")]
    private static partial void StillUnauthorized(ILogger logger, string method, string? url, string kind, string identity, int replays);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning,
        Message = "{Method} {Url} got no token: the {Kind} credential {Identity} {Reason}.")]
    private static partial void NoToken(ILogger logger, string method, string? url, string kind, string identity, string reason);

    [LoggerMessage(EventId = 703, Level = LogLevel.Debug,
        Message = "Redirect to {Url} leaves the credential's origin: credential {Identity} not sent.")]
    private static partial void CredentialDropped(ILogger logger, string? url, string identity);
}
