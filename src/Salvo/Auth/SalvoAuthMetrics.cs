using System.Diagnostics.Metrics;
using Salvo.Telemetry;

namespace Salvo.Auth;

/// <summary>
/// The auth instruments on the <c>Salvo</c> meter (<see cref="SalvoDiagnostics.Name"/>). Tagged with the credential's kind
/// (<c>salvo.auth.kind</c>: <c>client-credentials</c>, <c>refresh-token</c>, <c>custom</c>) and, for token requests, the
/// outcome (<c>salvo.auth.outcome</c>: <c>success</c> or <c>failure</c>). No token, secret or identity is ever a tag.
/// </summary>
public static class SalvoAuthMetrics
{
    /// <summary>The counter of token requests (to the token endpoint, or calls of a custom login).</summary>
    /// <value>The value is <c>salvo.auth.token_requests</c>.</value>
    public const string TokenRequestsInstrument = "salvo.auth.token_requests";

    /// <summary>The counter of requests replayed with a newer token after a 401.</summary>
    /// <value>The value is <c>salvo.auth.replays</c>.</value>
    public const string ReplaysInstrument = "salvo.auth.replays";

    private const string Unit = "{request}";
    private static readonly object Success = "success";
    private static readonly object Failure = "failure";

    private static readonly Counter<long> TokenRequests = SalvoDiagnostics.Meter.CreateCounter<long>(
        TokenRequestsInstrument, Unit, "Token requests made by Salvo's auth, by credential kind and outcome.");

    private static readonly Counter<long> Replays = SalvoDiagnostics.Meter.CreateCounter<long>(
        ReplaysInstrument, Unit, "Requests sent again with a newer token after a 401, by credential kind.");

    internal static void OnTokenRequest(string kind, bool succeeded)
    {
        if (TokenRequests.Enabled)
            TokenRequests.Add(1, new KeyValuePair<string, object?>("salvo.auth.kind", kind), new KeyValuePair<string, object?>("salvo.auth.outcome", succeeded ? Success : Failure));
    }

    internal static void OnReplay(string kind)
    {
        if (Replays.Enabled)
            Replays.Add(1, new KeyValuePair<string, object?>("salvo.auth.kind", kind));
    }
}
