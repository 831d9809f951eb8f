using Microsoft.Extensions.Options;

namespace Salvo.Resilience;

/// <summary>Checks a <see cref="RetryOptions"/>, including rules that span fields (base delay ≤ max delay).</summary>
public sealed class RetryOptionsValidator : IValidateOptions<RetryOptions>
{
    /// <summary>The shared instance.</summary>
    public static RetryOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxRetries is < 0 or > RetryOptions.MaxRetriesLimit)
            failures.Add($"MaxRetries must be between 0 and {RetryOptions.MaxRetriesLimit} (got {options.MaxRetries}).");
        if (options.BaseDelay < TimeSpan.Zero)
            failures.Add($"BaseDelay must not be negative (got {OptionText.Format(options.BaseDelay)}).");
        if (options.MaxDelay < options.BaseDelay)
            failures.Add($"MaxDelay ({OptionText.Format(options.MaxDelay)}) must not be shorter than BaseDelay ({OptionText.Format(options.BaseDelay)}).");
        if (options.Randomizer is null)
            failures.Add("Randomizer must not be null.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, if there is any.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="name">The options' name, for the message.</param>
    public static void ThrowIfInvalid(RetryOptions options, string? name = null) =>
        OptionText.ThrowIfFailed(Instance.Validate(name, options), name, typeof(RetryOptions));
}
