namespace Salvo.Auth;

/// <summary>How a refreshing credential (<see cref="SalvoAuth.ClientCredentials(ClientCredentialsOptions)"/>,
/// <see cref="SalvoAuth.RefreshToken(RefreshTokenOptions)"/>, <see cref="SalvoAuth.Custom(string, Func{SalvoToken?, CancellationToken, ValueTask{SalvoToken}}, SalvoAuthOptions?)"/>)
/// keeps its token fresh. Read once, when the <see cref="SalvoAuth"/> is created; checked by <see cref="SalvoAuthOptionsValidator"/>.</summary>
public class SalvoAuthOptions
{
    /// <summary>The default <see cref="RefreshSkew"/>.</summary>
    /// <value>The value is 60 seconds.</value>
    public static readonly TimeSpan DefaultRefreshSkew = TimeSpan.FromSeconds(60);

    /// <summary>The largest share of a token's lifetime the skew may take, so a short-lived token is not refreshed all the time.</summary>
    /// <value>The value is 0.1 (the last tenth of its life).</value>
    public const double MaxSkewShare = 0.1;

    /// <summary>The default <see cref="MaxUnauthorizedReplays"/>.</summary>
    /// <value>The value is 1.</value>
    public const int DefaultMaxUnauthorizedReplays = 1;

    /// <summary>The largest <see cref="MaxUnauthorizedReplays"/> the validator accepts.</summary>
    /// <value>The value is 5.</value>
    public const int MaxUnauthorizedReplaysLimit = 5;

    /// <summary>The default <see cref="RefreshTimeout"/>.</summary>
    /// <value>The value is 10 seconds.</value>
    public static readonly TimeSpan DefaultRefreshTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default <see cref="FailureBackoff"/>.</summary>
    /// <value>The value is 1 second.</value>
    public static readonly TimeSpan DefaultFailureBackoff = TimeSpan.FromSeconds(1);

    /// <summary>The default <see cref="MaxFailureBackoff"/>.</summary>
    /// <value>The value is 30 seconds.</value>
    public static readonly TimeSpan DefaultMaxFailureBackoff = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long before its expiry a token is refreshed. While the old token is still valid, callers keep using it and one
    /// refresh runs in the background; only a token that has expired (or was rejected) makes callers wait. Capped at
    /// <see cref="MaxSkewShare"/> of the token's lifetime.
    /// </summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan RefreshSkew { get; set; } = DefaultRefreshSkew;

    /// <summary>
    /// How many times one request is replayed after a 401 with a refreshed token before the 401 is returned (and
    /// <see cref="SalvoClient"/> throws <see cref="SalvoUnauthorizedException"/>); 0 never replays.
    /// </summary>
    /// <value>The default value is 1.</value>
    public int MaxUnauthorizedReplays { get; set; } = DefaultMaxUnauthorizedReplays;

    /// <summary>The longest one token request may take; a slower one fails (and is retried after <see cref="FailureBackoff"/>).</summary>
    /// <value>The default value is 10 seconds. A waiting call gives up earlier when its own time budget ends.</value>
    public TimeSpan RefreshTimeout { get; set; } = DefaultRefreshTimeout;

    /// <summary>The wait after a failed token request before the next one may start; it doubles with each failure in a row.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan FailureBackoff { get; set; } = DefaultFailureBackoff;

    /// <summary>The longest wait between token requests after failures.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxFailureBackoff { get; set; } = DefaultMaxFailureBackoff;

    /// <summary>Where tokens are kept between refreshes, keyed by <see cref="SalvoAuth.IdentityHash"/>: share one across clients, processes (<see cref="FileTokenStore"/>) or machines.</summary>
    /// <value>The default value is <see langword="null"/>: a <see cref="MemoryTokenStore"/> of this credential's own.</value>
    public ISalvoTokenStore? Store { get; set; }

    /// <summary>The clock for expiry, skew and backoff; give it the same clock as the client's.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="System.TimeProvider.System"/>.</value>
    public TimeProvider? TimeProvider { get; set; }
}
