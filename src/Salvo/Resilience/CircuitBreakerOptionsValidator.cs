using Microsoft.Extensions.Options;

namespace Salvo.Resilience;

/// <summary>Checks a <see cref="CircuitBreakerOptions"/> against the limits Polly's breaker enforces, so a bad value fails at start rather than at the first call to a host.</summary>
public sealed class CircuitBreakerOptionsValidator : IValidateOptions<CircuitBreakerOptions>
{
    private static readonly TimeSpan MaxBreakDuration = TimeSpan.FromDays(1);

    /// <summary>The shared instance.</summary>
    public static CircuitBreakerOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CircuitBreakerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!(options.FailureRatio > 0 && options.FailureRatio <= 1))
            failures.Add($"FailureRatio must be more than 0 and at most 1 (got {options.FailureRatio}).");
        if (options.MinimumThroughput < 2)
            failures.Add($"MinimumThroughput must be at least 2 (got {options.MinimumThroughput}).");
        if (options.SamplingDuration < CircuitBreakerOptions.MinimumDuration)
            failures.Add($"SamplingDuration must be at least {OptionText.Format(CircuitBreakerOptions.MinimumDuration)} (got {OptionText.Format(options.SamplingDuration)}).");
        if (options.BreakDuration < CircuitBreakerOptions.MinimumDuration || options.BreakDuration > MaxBreakDuration)
            failures.Add($"BreakDuration must be between {OptionText.Format(CircuitBreakerOptions.MinimumDuration)} and one day (got {OptionText.Format(options.BreakDuration)}).");
        if (options.MaxHosts < 1)
            failures.Add($"MaxHosts must be at least 1 (got {options.MaxHosts}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, if there is any.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="name">The options' name, for the message.</param>
    public static void ThrowIfInvalid(CircuitBreakerOptions options, string? name = null) =>
        OptionText.ThrowIfFailed(Instance.Validate(name, options), name, typeof(CircuitBreakerOptions));
}
