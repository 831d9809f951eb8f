using Microsoft.Extensions.Options;

namespace Salvo.ConcurrencyLimiting;

/// <summary>Checks a <see cref="ConcurrencyLimitOptions"/>, including the rules that span fields (min ≤ initial ≤ max).</summary>
public sealed class ConcurrencyLimitOptionsValidator : IValidateOptions<ConcurrencyLimitOptions>
{
    /// <summary>The shared instance.</summary>
    public static ConcurrencyLimitOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ConcurrencyLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode))
            failures.Add($"Mode must be Off, Fixed or Adaptive (got {(int)options.Mode}).");
        if (options.Limit < 1)
            failures.Add($"Limit must be at least 1 (got {options.Limit}).");
        CheckBounds(failures, options.MinLimit, options.MaxLimit, options.InitialLimit);
        if (options.MaxQueue is < 0)
            failures.Add($"MaxQueue must be null (bounded by the time budget) or at least 0 (got {options.MaxQueue}).");
        if (options.Mode == ConcurrencyLimitMode.Adaptive && options.Limiter is { } limiter && limiter is not AdaptiveConcurrencyLimiter)
            failures.Add($"Limiter must be an AdaptiveConcurrencyLimiter in Adaptive mode (got {limiter.GetType().Name}, which cannot learn from outcomes); use Fixed mode for it.");
        CheckAdaptive(failures, options.Adaptive);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, if there is any.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="name">The options' name, for the message.</param>
    public static void ThrowIfInvalid(ConcurrencyLimitOptions options, string? name = null)
    {
        var result = Instance.Validate(name, options);
        if (result.Failed)
            throw new OptionsValidationException(name ?? Options.DefaultName, typeof(ConcurrencyLimitOptions), result.Failures);
    }

    internal static void CheckBounds(List<string> failures, int minLimit, int maxLimit, int initialLimit)
    {
        if (minLimit < 1)
            failures.Add($"MinLimit must be at least 1 (got {minLimit}).");
        if (maxLimit < minLimit)
            failures.Add($"MaxLimit ({maxLimit}) must not be below MinLimit ({minLimit}).");
        if (initialLimit < minLimit || initialLimit > maxLimit)
            failures.Add($"InitialLimit ({initialLimit}) must lie between MinLimit ({minLimit}) and MaxLimit ({maxLimit}).");
    }

    internal static void CheckAdaptive(List<string> failures, AdaptiveLimitOptions? adaptive)
    {
        if (adaptive is null)
        {
            failures.Add("Adaptive must not be null.");
            return;
        }
        if (!(adaptive.Tolerance >= 1) || double.IsInfinity(adaptive.Tolerance))
            failures.Add($"Adaptive.Tolerance must be a finite number of at least 1 (got {adaptive.Tolerance}); below 1 the limit would shrink at the baseline latency.");
        if (!(adaptive.Smoothing is > 0 and <= 1))
            failures.Add($"Adaptive.Smoothing must be in (0, 1] (got {adaptive.Smoothing}).");
        if (!(adaptive.BackoffRatio is > 0 and < 1))
            failures.Add($"Adaptive.BackoffRatio must be in (0, 1) (got {adaptive.BackoffRatio}).");
        if (adaptive.SampleCount is < 1 or > 1000)
            failures.Add($"Adaptive.SampleCount must be between 1 and 1000 (got {adaptive.SampleCount}).");
        if (adaptive.MinRttWindow <= TimeSpan.Zero)
            failures.Add($"Adaptive.MinRttWindow must be positive (got {adaptive.MinRttWindow}).");
        var probing = adaptive.ProbeInterval != Timeout.InfiniteTimeSpan;
        if (probing && adaptive.ProbeInterval <= TimeSpan.Zero)
            failures.Add($"Adaptive.ProbeInterval must be positive or Timeout.InfiniteTimeSpan (got {adaptive.ProbeInterval}).");
        else if (probing && adaptive.MinRttWindow < adaptive.ProbeInterval)
            failures.Add($"Adaptive.MinRttWindow ({adaptive.MinRttWindow}) must be at least Adaptive.ProbeInterval ({adaptive.ProbeInterval}), so a probe's baseline is always in the window.");
    }
}
