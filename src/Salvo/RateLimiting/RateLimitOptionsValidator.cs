using Microsoft.Extensions.Options;

namespace Salvo.RateLimiting;

/// <summary>Checks a <see cref="RateLimitOptions"/>, including rules that span fields (something must limit).</summary>
public sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    /// <summary>The shared instance.</summary>
    public static RateLimitOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var hasLimits = false;
        if (!string.IsNullOrWhiteSpace(options.Limits))
        {
            foreach (var part in options.Limits.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (RateLimitWindow.TryParse(part, out _))
                    hasLimits = true;
                else
                    failures.Add($"Limits: '{part}' is not a rate limit; use <count>/<duration>, e.g. 20/1s or 100/2m.");
            }
        }
        if (options.Enabled && !hasLimits && !options.LearnFromHeaders && options.Limiter is null && failures.Count == 0)
            failures.Add("Limits is empty and LearnFromHeaders is off, so nothing would be limited; set one of them or leave the rate limiter out.");
        if (!(options.Share > 0 && options.Share <= 1))
            failures.Add($"Share must be greater than 0 and at most 1 (got {options.Share}).");
        if (options.PauseMargin < TimeSpan.Zero)
            failures.Add($"PauseMargin must not be negative (got {options.PauseMargin.TotalMilliseconds} ms).");
        if (options.MaxPartitions < 1)
            failures.Add($"MaxPartitions must be at least 1 (got {options.MaxPartitions}).");
        if (!Enum.IsDefined(options.Partition))
            failures.Add($"Partition must be Host, Route or Key (got {(int)options.Partition}).");
        if (!Enum.IsDefined(options.Mode))
            failures.Add($"Mode must be Wait or Throw (got {(int)options.Mode}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, if there is any.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="name">The options' name, for the message.</param>
    public static void ThrowIfInvalid(RateLimitOptions options, string? name = null)
    {
        var result = Instance.Validate(name, options);
        if (result.Failed)
            throw new OptionsValidationException(name ?? Options.DefaultName, typeof(RateLimitOptions), result.Failures);
    }
}
