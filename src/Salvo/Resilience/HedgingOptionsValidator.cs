using Microsoft.Extensions.Options;

namespace Salvo.Resilience;

/// <summary>Checks a <see cref="HedgingOptions"/>, including rules that span fields (the window holds enough samples for a percentile).</summary>
public sealed class HedgingOptionsValidator : IValidateOptions<HedgingOptions>
{
    /// <summary>The largest <see cref="HedgingOptions.WindowSize"/> the validator accepts.</summary>
    /// <value>The value is 4096.</value>
    public const int MaxWindowSize = 4096;

    private static readonly TimeSpan MinBudgetWindow = TimeSpan.FromMilliseconds(100);

    /// <summary>The shared instance.</summary>
    public static HedgingOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HedgingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Delay <= TimeSpan.Zero)
            failures.Add($"Delay must be positive (got {OptionText.Format(options.Delay)}).");
        if (options.Percentile is { } p && !(p > 0 && p < 1))
            failures.Add($"Percentile must be between 0 and 1, exclusive, or null (got {p}).");
        if (options.WindowSize is < HedgingOptions.MinimumSamples or > MaxWindowSize)
            failures.Add($"WindowSize must be between {HedgingOptions.MinimumSamples} (the samples a percentile needs) and {MaxWindowSize} (got {options.WindowSize}).");
        if (!(options.BudgetRatio > 0 && options.BudgetRatio <= 1))
            failures.Add($"BudgetRatio must be more than 0 and at most 1 (got {options.BudgetRatio}).");
        if (options.BudgetWindow < MinBudgetWindow)
            failures.Add($"BudgetWindow must be at least {OptionText.Format(MinBudgetWindow)} (got {OptionText.Format(options.BudgetWindow)}).");
        if (options.MaxHosts < 1)
            failures.Add($"MaxHosts must be at least 1 (got {options.MaxHosts}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, if there is any.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="name">The options' name, for the message.</param>
    public static void ThrowIfInvalid(HedgingOptions options, string? name = null) =>
        OptionText.ThrowIfFailed(Instance.Validate(name, options), name, typeof(HedgingOptions));
}
