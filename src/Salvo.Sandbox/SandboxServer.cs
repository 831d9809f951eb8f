using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Salvo.Sandbox.Hosting;
using Salvo.Sandbox.Runtime;

namespace Salvo.Sandbox;

/// <summary>
/// A realistic local API (StakeAPI-like JSON over HTTP) on Kestrel, bound to 127.0.0.1 only, with latency,
/// capacity, faults, rate limits and expiring tokens that can be changed while it runs.
/// </summary>
/// <example>
/// <code>
/// await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Latency = SandboxLatency.Parse("200ms") });
/// using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
/// var balance = await http.GetStringAsync("user/balance");
/// </code>
/// </example>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SandboxRuntime _runtime;
    private int _disposed;

    private SandboxServer(WebApplication app, SandboxRuntime runtime, X509Certificate2? certificate)
    {
        _app = app;
        _runtime = runtime;
        Certificate = certificate;
        BaseAddress = Address(app, Uri.UriSchemeHttp)
            ?? throw new InvalidOperationException("Kestrel did not report the HTTP address it is listening on.");
        HttpsBaseAddress = certificate is null ? null : Address(app, Uri.UriSchemeHttps);
    }

    /// <summary>Gets the HTTP address, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets the HTTPS address, <c>https://127.0.0.1:{port}/</c>, when <see cref="SandboxOptions.Https"/> is on; otherwise <see langword="null"/>.</summary>
    public Uri? HttpsBaseAddress { get; }

    /// <summary>
    /// Gets the self-signed certificate of the HTTPS listener (ECDSA P-256; subject alternative names IP 127.0.0.1 and
    /// DNS localhost; valid from a day ago for seven days), so clients can trust it explicitly; <see langword="null"/> without HTTPS.
    /// </summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>
    /// Gets the options the server runs with. Behaviour properties are read on every request, so changing them
    /// here (latency, capacity, rates, rate limits, token lifetime, credentials, connection latency) takes effect at once.
    /// </summary>
    public SandboxOptions Options => _runtime.Options;

    /// <summary>Starts a server listening on 127.0.0.1.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults. The instance is kept and read live.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="FormatException"><see cref="SandboxOptions.RateLimits"/> is not valid.</exception>
    public static async Task<SandboxServer> StartAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        SandboxOptionsValidator.Validate(options);
        var runtime = new SandboxRuntime(options);
        var certificate = options.Https ? SelfSignedCertificate.Create() : null;
        var app = SandboxApplication.Build(runtime, certificate);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new SandboxServer(app, runtime, certificate);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            certificate?.Dispose();
            runtime.Dispose();
            throw;
        }
    }

    /// <summary>Takes a snapshot of the counters.</summary>
    /// <returns>What the server saw since it started or since the last <see cref="ResetStats"/>.</returns>
    public SandboxStats GetStats() => _runtime.Stats.Snapshot();

    /// <summary>Zeroes the counters (requests still in flight stay counted in <see cref="SandboxStats.InFlight"/>).</summary>
    public void ResetStats() => _runtime.Stats.Reset();

    /// <summary>Mints a valid bearer token in-process, as <c>POST /auth/token</c> would; counted in <see cref="SandboxStats.TokensIssued"/>.</summary>
    /// <param name="clientId">The client the token is for; <see langword="null"/> for <see cref="SandboxOptions.ClientId"/>.</param>
    /// <returns>The token, valid for <see cref="SandboxOptions.TokenLifetime"/> (one hour when auth is off).</returns>
    public string IssueToken(string? clientId = null) => _runtime.IssueToken(clientId ?? Options.ClientId);

    /// <summary>
    /// Mints a refresh token in-process (as a user's login would), for <c>grant_type=refresh_token</c> at <c>POST /auth/token</c>;
    /// each use rotates it (the response carries the next one and this one stops working).
    /// </summary>
    /// <param name="clientId">The client the token is for; <see langword="null"/> for <see cref="SandboxOptions.ClientId"/>.</param>
    /// <returns>The refresh token, valid for <see cref="SandboxOptions.RefreshTokenLifetime"/> (no expiry when unset).</returns>
    public string IssueRefreshToken(string? clientId = null) => _runtime.IssueRefreshToken(clientId ?? Options.ClientId);

    /// <summary>Invalidates every access token issued so far: their next use is answered 401. Counted in <see cref="SandboxStats.TokensRevoked"/>.</summary>
    public void RevokeTokens() => _runtime.Stats.TokensRevoked(_runtime.Tokens.RevokeAll());

    /// <summary>Invalidates one access or refresh token, as <c>POST /auth/revoke</c> does (RFC 7009).</summary>
    /// <param name="token">The token.</param>
    /// <returns><see langword="true"/> when the token was live.</returns>
    public bool RevokeToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var revoked = _runtime.Tokens.Revoke(token);
        if (revoked)
            _runtime.Stats.TokensRevoked(1);
        return revoked;
    }

    /// <summary>Stops Kestrel promptly: delayed, hung and connecting requests are aborted rather than awaited.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _runtime.BeginStopping();
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Certificate?.Dispose();
        _runtime.Dispose();
    }

    private static Uri? Address(WebApplication app, string scheme) =>
        app.Urls.Select(u => new Uri(u)).FirstOrDefault(u => u.Scheme == scheme) is { } uri ? new Uri($"{scheme}://127.0.0.1:{uri.Port}/") : null;
}
