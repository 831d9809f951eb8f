using Microsoft.Extensions.Options;

namespace Salvo;

/// <summary>Checks a <see cref="SalvoClientOptions"/>, including rules that span fields (attempt ≤ total).</summary>
public sealed class SalvoClientOptionsValidator : IValidateOptions<SalvoClientOptions>
{
    /// <summary>The shared instance.</summary>
    public static SalvoClientOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SalvoClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BaseAddress is { } b && (!b.IsAbsoluteUri || (b.Scheme != Uri.UriSchemeHttp && b.Scheme != Uri.UriSchemeHttps)))
            failures.Add($"BaseAddress must be an absolute http or https URL (got '{Telemetry.Redaction.RedactUrl(b)}').");

        var t = options.Timeouts;
        CheckBudget(failures, "Timeouts.Total", t.Total);
        CheckBudget(failures, "Timeouts.Attempt", t.Attempt);
        CheckBudget(failures, "Timeouts.Connect", t.Connect);
        if (t.Total != Timeout.InfiniteTimeSpan && t.Attempt != Timeout.InfiniteTimeSpan && t.Attempt > t.Total)
            failures.Add($"Timeouts.Attempt ({Format(t.Attempt)}) must not exceed Timeouts.Total ({Format(t.Total)}).");

        var p = options.Pool;
        if (p.MaxConnectionsPerServer < 1)
            failures.Add($"Pool.MaxConnectionsPerServer must be at least 1 (got {p.MaxConnectionsPerServer}).");
        CheckBudget(failures, "Pool.PooledConnectionLifetime", p.PooledConnectionLifetime);
        CheckBudget(failures, "Pool.PooledConnectionIdleTimeout", p.PooledConnectionIdleTimeout);
        if (p.HttpVersion is null || p.HttpVersion.Major is < 1 or > 3)
            failures.Add("Pool.HttpVersion must be 1.0, 1.1, 2.0 or 3.0.");

        if (options.MaxResponseSize < 1)
            failures.Add($"MaxResponseSize must be at least 1 byte (got {options.MaxResponseSize}).");
        if (options.MaxRedirects is < 1 or > 50)
            failures.Add($"MaxRedirects must be between 1 and 50 (got {options.MaxRedirects}); set AllowAutoRedirect = false to follow none.");
        foreach (var key in options.DefaultQuery.Keys)
        {
            if (string.IsNullOrWhiteSpace(key))
                failures.Add("DefaultQuery keys must not be empty.");
        }
        if (options.Json is null)
            failures.Add("Json must not be null.");
        if (options.TimeProvider is null)
            failures.Add("TimeProvider must not be null.");

        Nested(failures, "Cache", Caching.CacheOptionsValidator.Instance.Validate(name, options.Cache));
        Nested(failures, "Retry", Resilience.RetryOptionsValidator.Instance.Validate(name, options.Retry));
        Nested(failures, "Hedging", Resilience.HedgingOptionsValidator.Instance.Validate(name, options.Hedging));
        Nested(failures, "CircuitBreaker", Resilience.CircuitBreakerOptionsValidator.Instance.Validate(name, options.CircuitBreaker));
        Nested(failures, "RateLimit", RateLimiting.RateLimitOptionsValidator.Instance.Validate(name, options.RateLimit));
        Nested(failures, "ConcurrencyLimit", ConcurrencyLimiting.ConcurrencyLimitOptionsValidator.Instance.Validate(name, options.ConcurrencyLimit));
        Nested(failures, "GraphQL", GraphQL.GraphQLOptionsValidator.Instance.Validate(name, options.GraphQL));
        Nested(failures, "Realtime", Realtime.RealtimeOptionsValidator.Instance.Validate(name, options.Realtime));

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, if there is any.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="name">The client name, for the message.</param>
    public static void ThrowIfInvalid(SalvoClientOptions options, string? name = null)
    {
        var result = Instance.Validate(name, options);
        if (result.Failed)
            throw new OptionsValidationException(name ?? Options.DefaultName, typeof(SalvoClientOptions), result.Failures);
    }

    private static void Nested(List<string> failures, string prefix, ValidateOptionsResult result)
    {
        if (!result.Failed)
            return;
        foreach (var failure in result.Failures ?? [result.FailureMessage])
            failures.Add($"{prefix}.{failure}");
    }

    private static void CheckBudget(List<string> failures, string name, TimeSpan value)
    {
        if (value != Timeout.InfiniteTimeSpan && value <= TimeSpan.Zero)
            failures.Add($"{name} must be positive or Timeout.InfiniteTimeSpan (got {Format(value)}).");
    }

    private static string Format(TimeSpan t) => t == Timeout.InfiniteTimeSpan ? "infinite" : $"{t.TotalMilliseconds:0.###} ms";
}
