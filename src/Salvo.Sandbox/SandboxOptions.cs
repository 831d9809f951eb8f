namespace Salvo.Sandbox;

/// <summary>
/// How the Sandbox behaves. Behaviour properties (latency, capacity, fault rates, rate limits, tokens,
/// connection latency) are read on every request, so they can be changed while the server runs; the
/// listener, seed, clock and data sizes are read once by <see cref="SandboxServer.StartAsync"/>.
/// </summary>
public sealed class SandboxOptions
{
    /// <summary>The default <see cref="ClientId"/>.</summary>
    public const string DefaultClientId = "sandbox-client";

    /// <summary>The default <see cref="ClientSecret"/>.</summary>
    public const string DefaultClientSecret = "sandbox-secret";

    /// <summary>The default <see cref="GameCount"/>.</summary>
    public const int DefaultGameCount = 200;

    /// <summary>The default <see cref="EventCount"/>.</summary>
    public const int DefaultEventCount = 100;

    /// <summary>Gets or sets the simulated processing time of each API request (not the test helpers or control endpoints).</summary>
    /// <value>The default value is <see cref="SandboxLatency.None"/>.</value>
    public SandboxLatency Latency { get; set; } = SandboxLatency.None;

    /// <summary>
    /// Gets or sets how many API requests the server handles in flight at full speed. Above it latency grows
    /// in proportion (latency × in flight / capacity); above twice it requests are answered 503 with <c>Retry-After: 1</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (unlimited).</value>
    public int? Capacity { get; set; }

    /// <summary>Gets or sets the share (0 to 1) of API requests answered with a random 500, 502, 503 or 504.</summary>
    /// <value>The default value is 0.</value>
    public double FaultRate { get; set; }

    /// <summary>Gets or sets the share (0 to 1) of API requests whose connection is aborted without a response.</summary>
    /// <value>The default value is 0.</value>
    public double ResetRate { get; set; }

    /// <summary>Gets or sets the share (0 to 1) of API requests that never get a response (until the client gives up or the server stops).</summary>
    /// <value>The default value is 0.</value>
    public double HangRate { get; set; }

    /// <summary>
    /// Gets or sets the share (0 to 1) of API requests whose latency is multiplied by <see cref="SlowFactor"/>: a
    /// slow tail like a GC pause or a cold cache on the server, which is what hedging cuts.
    /// </summary>
    /// <value>The default value is 0.</value>
    public double SlowRate { get; set; }

    /// <summary>Gets or sets how many times longer a slow request (see <see cref="SlowRate"/>) takes.</summary>
    /// <value>The default value is 20.</value>
    public double SlowFactor { get; set; } = DefaultSlowFactor;

    /// <summary>The default <see cref="SlowFactor"/>.</summary>
    /// <value>The value is 20.</value>
    public const double DefaultSlowFactor = 20;

    /// <summary>
    /// Gets or sets how often a 429 burst begins: for <see cref="BurstLength"/> out of every interval (counted from the
    /// server's start), every API request is answered 429 with a <c>Retry-After</c> covering the rest of the burst and no
    /// rate-limit headers — a quota the client could not have seen coming, as when another program spends the shared key.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no bursts).</value>
    public TimeSpan? BurstInterval { get; set; }

    /// <summary>Gets or sets how long each 429 burst (see <see cref="BurstInterval"/>) lasts.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan BurstLength { get; set; } = DefaultBurstLength;

    /// <summary>The default <see cref="BurstLength"/>.</summary>
    /// <value>The value is 200 milliseconds.</value>
    public static readonly TimeSpan DefaultBurstLength = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Gets or sets the rate-limit windows per caller, e.g. <c>"20/1s,100/2m"</c> (see <see cref="SandboxRateLimit.ParseMany"/>).
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no rate limits).</value>
    public string? RateLimits { get; set; }

    /// <summary>Gets or sets which header families advertise the <see cref="RateLimits"/> windows on every rate-limited response.</summary>
    /// <value>The default value is <see cref="SandboxRateLimitHeaders.All"/>.</value>
    public SandboxRateLimitHeaders RateLimitHeaders { get; set; } = SandboxRateLimitHeaders.All;

    /// <summary>
    /// Gets or sets the share (0 to 1) of API requests answered 429 with <c>X-Rate-Limit-Type: service</c> and
    /// <c>Retry-After: 1</c>, as Riot's API does when its backend sheds load: no quota is spent or exceeded.
    /// </summary>
    /// <value>The default value is 0.</value>
    public double ServiceLimitRate { get; set; }

    /// <summary>
    /// Gets or sets the lifetime of tokens issued by <c>POST /auth/token</c>. When set, API endpoints require
    /// <c>Authorization: Bearer &lt;token&gt;</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no authentication required; issued tokens then last one hour).</value>
    public TimeSpan? TokenLifetime { get; set; }

    /// <summary>
    /// Gets or sets the lifetime of refresh tokens (issued by <see cref="SandboxServer.IssueRefreshToken"/> and rotated by
    /// every <c>grant_type=refresh_token</c> request: the old one stops working when the new one is issued).
    /// </summary>
    /// <value>The default value is <see langword="null"/> (refresh tokens do not expire; they can still be rotated away or revoked).</value>
    public TimeSpan? RefreshTokenLifetime { get; set; }

    /// <summary>
    /// Gets or sets a status (400 to 599) that <c>POST /auth/token</c> answers every request with, to simulate a failing token
    /// endpoint (e.g. 503); counted in <see cref="SandboxStats.TokenRequests"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (the endpoint works).</value>
    public int? TokenEndpointFailure { get; set; }

    /// <summary>Gets or sets whether <c>POST /auth/token</c> never answers (until the client gives up or the server stops), to simulate a stalled token endpoint.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool TokenEndpointStall { get; set; }

    /// <summary>Gets or sets the client id accepted by <c>POST /auth/token</c>.</summary>
    /// <value>The default value is <c>"sandbox-client"</c>.</value>
    public string ClientId { get; set; } = DefaultClientId;

    /// <summary>Gets or sets the client secret accepted by <c>POST /auth/token</c>.</summary>
    /// <value>The default value is <c>"sandbox-secret"</c>.</value>
    public string ClientSecret { get; set; } = DefaultClientSecret;

    /// <summary>Gets or sets whether to also listen with HTTPS, using a self-signed certificate generated at start.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Https { get; set; }

    /// <summary>
    /// Gets or sets the simulated network round trips paid once by every new connection before it is served,
    /// so opening a connection per request shows its real cost even on loopback.
    /// </summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan ConnectionLatency { get; set; }

    /// <summary>Gets or sets the HTTP port on 127.0.0.1 (0 picks a free one). Read at start.</summary>
    /// <value>The default value is 0.</value>
    public int Port { get; set; }

    /// <summary>Gets or sets the HTTPS port on 127.0.0.1 (0 picks a free one) when <see cref="Https"/> is on. Read at start.</summary>
    /// <value>The default value is 0.</value>
    public int HttpsPort { get; set; }

    /// <summary>
    /// Gets or sets the seed of the random source behind the data, latency samples, faults and tokens. Read at start.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: the data is still the same on every run (a fixed seed), but
    /// latency samples, faults and tokens are unpredictable.
    /// </value>
    public int? Seed { get; set; }

    /// <summary>Gets or sets the clock behind latency, rate-limit windows, token expiry and connection latency. Read at start.</summary>
    /// <value>The default value is <see cref="System.TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets how many casino games the server generates. Read at start.</summary>
    /// <value>The default value is 200.</value>
    public int GameCount { get; set; } = DefaultGameCount;

    /// <summary>Gets or sets how many sports events the server generates. Read at start.</summary>
    /// <value>The default value is 100.</value>
    public int EventCount { get; set; } = DefaultEventCount;

    /// <summary>The default <see cref="FeedInterval"/>.</summary>
    /// <value>The value is 100 milliseconds (ten odds changes a second).</value>
    public static readonly TimeSpan DefaultFeedInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets or sets how often the live feed (<c>/feed/odds</c>, its event stream and WebSocket) publishes an odds change. Read at start.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan FeedInterval { get; set; } = DefaultFeedInterval;
}
