using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Salvo.Auth;
using Salvo.Caching;
using Salvo.ConcurrencyLimiting;
using Salvo.RateLimiting;
using Salvo.Resilience;

namespace Salvo;

/// <summary>Everything a <see cref="SalvoClient"/> is configured with. Read once, when the client is created.</summary>
/// <remarks>Validated at creation by <see cref="SalvoClientOptionsValidator"/>; an invalid value fails fast with every problem listed.</remarks>
public sealed class SalvoClientOptions
{
    /// <summary>The default <see cref="MaxResponseSize"/>.</summary>
    /// <value>The value is 64 MiB.</value>
    public const long DefaultMaxResponseSize = 64L * 1024 * 1024;

    /// <summary>The default <see cref="MaxRedirects"/>.</summary>
    /// <value>The value is 10.</value>
    public const int DefaultMaxRedirects = 10;

    /// <summary>The base for relative URLs, e.g. <c>https://api.example.com/v1/</c> (keep the trailing slash).</summary>
    /// <value>The default value is <see langword="null"/>: every URL must then be absolute.</value>
    public Uri? BaseAddress { get; set; }

    /// <summary>Headers added to every request Salvo builds (a header already on the request wins).</summary>
    /// <value>The default value is an empty, case-insensitive dictionary.</value>
    public IDictionary<string, string> DefaultHeaders { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Query parameters appended to every relative URL Salvo resolves (e.g. an API version).</summary>
    /// <value>The default value is an empty dictionary.</value>
    public IDictionary<string, string> DefaultQuery { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The User-Agent sent when the request has none.</summary>
    /// <value>The default value is <c>Salvo/</c> followed by the library version.</value>
    public string? UserAgent { get; set; } = "Salvo/" + typeof(SalvoClientOptions).Assembly.GetName().Version?.ToString(3);

    /// <summary>The total, per-attempt and connect time budgets.</summary>
    /// <value>The default value is total 30 s, attempt 10 s, connect 5 s.</value>
    public TimeoutOptions Timeouts { get; } = new();

    /// <summary>Connection pool settings of the transport Salvo creates (ignored for a user-provided client or handler).</summary>
    public ConnectionPoolOptions Pool { get; } = new();

    /// <summary>TLS settings of the transport Salvo creates (ignored for a user-provided client or handler).</summary>
    public TlsOptions Tls { get; } = new();

    /// <summary>A proxy for the transport Salvo creates; <see langword="null"/> uses the system proxy when <see cref="UseProxy"/> is set.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IWebProxy? Proxy { get; set; }

    /// <summary>Whether the transport Salvo creates uses a proxy at all.</summary>
    /// <value>The default value is <see langword="true"/> (the system proxy, e.g. from HTTPS_PROXY; loopback is never proxied).</value>
    public bool UseProxy { get; set; } = true;

    /// <summary>Whether redirects are followed. Credentials are never forwarded to another origin (with <see cref="Auth"/> set, the auth stage follows redirects and keeps them on the same origin).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AllowAutoRedirect { get; set; } = true;

    /// <summary>The most redirects followed for one call; one more is a <see cref="SalvoTooManyRedirectsException"/>.</summary>
    /// <value>The default value is 10.</value>
    public int MaxRedirects { get; set; } = DefaultMaxRedirects;

    /// <summary>The largest response body Salvo reads; a larger one is a <see cref="SalvoResponseTooLargeException"/>.</summary>
    /// <value>The default value is 64 MiB.</value>
    public long MaxResponseSize { get; set; } = DefaultMaxResponseSize;

    /// <summary>
    /// JSON settings for the <c>*JsonAsync</c> methods. For trimming- and AOT-safe use, set
    /// <see cref="JsonSerializerOptions.TypeInfoResolver"/> to a source-generated <c>JsonSerializerContext</c>
    /// (or pass its <c>JsonTypeInfo</c> to each call).
    /// </summary>
    /// <value>The default value is <see cref="JsonSerializerDefaults.Web"/> (camelCase, case-insensitive reads).</value>
    public JsonSerializerOptions Json { get; set; } = new(JsonSerializerDefaults.Web);

    /// <summary>The clock for budgets and latency measurements; tests pass a fake one.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where Salvo logs (latency per call at Debug, failures at Warning).</summary>
    /// <value>The default value is <see langword="null"/>: no logging.</value>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The response cache: per-route lifetimes, HTTP caching headers, single flight, memory and SQLite stores (pipeline stage 2).</summary>
    /// <value>The default value is off; <see cref="CacheOptions.Add(string, TimeSpan, string[])"/> switches it on.</value>
    public CacheOptions Cache { get; } = new();

    /// <summary>Which transient outcomes are retried, how often and how long apart (pipeline stage 4).</summary>
    /// <value>The default value is on: at most 3 retries of idempotent requests, 200 ms base delay with decorrelated jitter, <c>Retry-After</c> honoured.</value>
    public RetryOptions Retry { get; } = new();

    /// <summary>A second attempt for slow idempotent requests (pipeline stage 5); opt-in.</summary>
    /// <value>The default value is off; when on, the hedge goes after the live 95th percentile with at most 5 % extra requests.</value>
    public HedgingOptions Hedging { get; } = new();

    /// <summary>The per-host circuit breaker (pipeline stage 6).</summary>
    /// <value>The default value is on: a host whose failure ratio reaches 0.5 over 30 s (at least 20 calls) is cut off for 5 s.</value>
    public CircuitBreakerOptions CircuitBreaker { get; } = new();

    /// <summary>
    /// The credential attached to every request (pipeline stage 7): a fixed bearer token or API key, or a token refreshed
    /// ahead of expiry and after a 401 (OAuth 2.0 client credentials, refresh token, a custom login). See <see cref="SalvoAuth"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no credential.</value>
    public SalvoAuth? Auth { get; set; }

    /// <summary>Client-side rate limits, configured and learned from response headers (pipeline stage 8).</summary>
    /// <value>The default value is on: no configured limits, limits learned from the server's headers, partitioned by host, waits bounded by the budget.</value>
    public RateLimitOptions RateLimit { get; } = new();

    /// <summary>The limit on requests in flight, fixed or adaptive (pipeline stage 9).</summary>
    /// <value>The default value is off (see <see cref="ConcurrencyLimitOptions"/> for why).</value>
    public ConcurrencyLimitOptions ConcurrencyLimit { get; } = new();

    /// <summary>GraphQL over HTTP and the <c>graphql-transport-ws</c> subscription socket (<see cref="SalvoClient.GraphQL"/>).</summary>
    /// <value>The default value is endpoint <c>graphql</c>, queries retried, pings every 15 s, reconnect with jittered backoff from 250 ms to 30 s.</value>
    public GraphQL.GraphQLOptions GraphQL { get; } = new();

    /// <summary>Server-sent-event and WebSocket JSON streams (<see cref="SalvoClient.Realtime"/>).</summary>
    /// <value>The default value is reconnect with jittered backoff from 250 ms to 30 s, WebSocket pings every 15 s, messages up to 4 MiB.</value>
    public Realtime.RealtimeOptions Realtime { get; } = new();
}
