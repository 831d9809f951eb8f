using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Salvo.Http;
using Salvo.Pipeline;
using Salvo.Resilience;

namespace Salvo.Auth;

/// <summary>
/// Attaches a credential to every request and keeps it working (pipeline position 7, see <see cref="PipelineStage.Auth"/>):
/// the token comes from <see cref="SalvoAuth"/> (refreshed ahead of expiry, one refresh for everyone); a 401 marks it
/// rejected, one shared refresh runs, and the request is replayed with its body intact — at most
/// <see cref="SalvoAuthOptions.MaxUnauthorizedReplays"/> times, then the 401 is returned (<see cref="SalvoClient"/> throws
/// <see cref="SalvoUnauthorizedException"/>). A 401 for a token older than the current one replays without a new refresh.
/// </summary>
/// <remarks>
/// <para>With <c>maxRedirects</c> above 0 the handler follows redirects itself (Salvo's transport then does not): the
/// credential stays on requests to the original origin (scheme, host and port) and is removed from any hop to another
/// origin, whatever header or query parameter carries it. Redirects from https to http are not followed.</para>
/// <para>A request that already carries its own credential (an Authorization header, or the API key's header) is sent as
/// it is. Waiting for a refresh is bounded by the call's cancellation token, which carries the total time budget; a
/// refresh that cannot start before the budget ends (a failure backoff) fails the call at once with
/// <see cref="SalvoAuthenticationException"/>.</para>
/// </remarks>
public sealed partial class AuthHandler : DelegatingHandler
{
    private readonly SalvoAuth _auth;
    private readonly int _maxRedirects;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    /// <param name="auth">The credential; not disposed by the handler.</param>
    /// <param name="maxRedirects">How many redirects the handler follows itself (see the remarks); 0 returns redirects as they are.</param>
    /// <param name="logger">Where replays and failures are logged (by credential kind and identity hash, never a token); <see langword="null"/> for none.</param>
    public AuthHandler(SalvoAuth auth, int maxRedirects = 0, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRedirects);
        _auth = auth;
        _maxRedirects = maxRedirects;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Set by <see cref="SalvoPipelineBuilder"/> when this handler heads a run of stages it composed (see <see cref="FusedAttempt"/>).</summary>
    internal FusedAttempt? Fused { get; set; }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Fused is { } fused && fused.TrySend(request, cancellationToken) is { } sent)
            return sent;
        return SendCoreAsync(request, sync: false, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A refresh is waited for by blocking the calling thread, as a synchronous send must.</remarks>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendCoreAsync(request, sync: true, cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>Whether the request carries its caller's own credential (or has no absolute URL), which this stage leaves alone.</summary>
    internal bool PassesThrough(HttpRequestMessage request) =>
        request.RequestUri is not { IsAbsoluteUri: true } || _auth.Placement.IsSetBy(request);

    /// <summary>
    /// For the one-frame path: the token to attach when it is at hand now — fresh, no refresh due — and the request's body
    /// (if any) can be replayed after a 401 without buffering first; otherwise <see langword="null"/>, and this handler does
    /// the work itself.
    /// </summary>
    internal TokenEntry? TokenAtHand(HttpRequestMessage request) =>
        _auth.MaxUnauthorizedReplays > 0 && request.Content is not null && !ReplayableContent.IsReplayable(request.Content) ? null : _auth.FreshEntry();

    /// <summary>Puts the credential on a request to its first hop; returns the URL to restore when a query parameter carries it.</summary>
    internal Uri? Attach(HttpRequestMessage request, TokenEntry entry) => _auth.Placement.Apply(request, entry);

    /// <summary>Takes the credential off again after the send (see <see cref="SendCoreAsync"/>).</summary>
    internal void Detach(HttpRequestMessage request, Uri? withoutCredential)
    {
        if (withoutCredential is not null)
            request.RequestUri = withoutCredential;
        else
            _auth.Placement.Remove(request);
    }

    /// <summary>Whether a first hop's answer needs this stage's further work: a redirect it follows, or a 401 it may replay.</summary>
    internal bool NeedsFollowUp(HttpRequestMessage request, HttpResponseMessage response) =>
        (response.StatusCode == HttpStatusCode.Unauthorized && _auth.MaxUnauthorizedReplays > 0)
        || (_maxRedirects > 0 && NextLocation(request, response) is not null);

    /// <summary>Continues the call after a first hop that the one-frame path sent with <paramref name="entry"/> (see <see cref="NeedsFollowUp"/>).</summary>
    internal Task<HttpResponseMessage> FollowUpAsync(HttpRequestMessage request, HttpResponseMessage first, TokenEntry entry, CancellationToken cancellationToken) =>
        SendCoreAsync(request, sync: false, cancellationToken, entry, first);

    /// <summary>
    /// One state machine for the whole call (token, redirects, replays), so the common case — a fresh token, no redirect,
    /// no 401 — costs one async frame. With <paramref name="sync"/> every send is synchronous and the task completes before it
    /// returns. With <paramref name="first"/> the first hop was sent already, with <paramref name="given"/>, by the one-frame path.
    /// </summary>
    private async Task<HttpResponseMessage> SendCoreAsync(
        HttpRequestMessage request, bool sync, CancellationToken cancellationToken, TokenEntry? given = null, HttpResponseMessage? first = null)
    {
        if (first is null && PassesThrough(request))
            return sync ? base.Send(request, cancellationToken) : await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var origin = request.RequestUri!;
        var replays = _auth.MaxUnauthorizedReplays;
        if (replays > 0 && first is null)
        {
            if (sync)
                ReplayableContent.Ensure(request.Content, cancellationToken);
            else
                await ReplayableContent.EnsureAsync(request.Content, cancellationToken).ConfigureAwait(false);
        }
        var start = new RequestStart(request);
        var entry = given ?? await TokenAsync(request, null, sync, cancellationToken).ConfigureAwait(false);
        for (var replay = 0; ; replay++)
        {
            HttpResponseMessage response;
            bool carriedToken;
            for (var hops = 0; ; hops++)
            {
                // Every first hop goes to the origin (a replay starts where the call started).
                carriedToken = hops == 0 || SameOrigin(request.RequestUri!, origin);
                if (first is not null)
                {
                    response = first;
                    first = null;
                }
                else
                {
                    var withoutCredential = Attach(request, entry, carriedToken);
                    try
                    {
                        response = sync ? base.Send(request, cancellationToken) : await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        // The credential is taken off again: a query-parameter key so no error, log or later hop sees the URL
                        // that carried it, and a header so that a retry of this request (the retry layer sits above) is not
                        // mistaken for one whose caller set its own credential, and gets the token current then.
                        if (carriedToken)
                            Detach(request, withoutCredential);
                    }
                }
                if (hops >= _maxRedirects || NextLocation(request, response) is not { } next)
                    break;
                Redirect(request, response.StatusCode, next);
                response.Dispose();
            }
            if (response.StatusCode != HttpStatusCode.Unauthorized || !carriedToken || replays == 0)
                return response;
            if (replay >= replays)
            {
                LogStillUnauthorized(request, replay);
                return response;
            }
            response.Dispose();
            _auth.Counters.OnReplay();
            SalvoAuthMetrics.OnReplay(_auth.Kind);
            LogReplaying(request, replay + 1, replays);
            start.Restore(request);
            entry = await TokenAsync(request, entry, sync, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The token to send: the current one, or (after a 401 with <paramref name="rejected"/>) a newer one.</summary>
    private async ValueTask<TokenEntry> TokenAsync(HttpRequestMessage request, TokenEntry? rejected, bool sync, CancellationToken cancellationToken)
    {
        var remaining = SalvoRequestContext.RemainingBudget(request);
        try
        {
            var pending = rejected is null ? _auth.GetEntryAsync(remaining, cancellationToken) : new(_auth.AfterRejectionAsync(rejected, remaining, cancellationToken));
            if (pending.IsCompletedSuccessfully)
                return pending.Result;
            return sync ? pending.AsTask().GetAwaiter().GetResult() : await pending.ConfigureAwait(false);
        }
        catch (TokenEndpointException failed)
        {
            var exception = _auth.ToException(failed, ErrorContexts.Of(request));
            LogNoToken(request, failed.Failure.Reason);
            throw exception;
        }
    }

    /// <summary>What a redirect may change on a request, kept so a replay starts where the call started.</summary>
    private readonly struct RequestStart(HttpRequestMessage request)
    {
        private readonly Uri? _uri = request.RequestUri;
        private readonly HttpMethod _method = request.Method;
        private readonly HttpContent? _content = request.Content;

        public void Restore(HttpRequestMessage target)
        {
            target.RequestUri = _uri;
            target.Method = _method;
            target.Content = _content;
        }
    }
}
