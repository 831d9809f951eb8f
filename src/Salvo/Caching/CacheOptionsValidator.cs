using Microsoft.Extensions.Options;
using Salvo.Resilience;

namespace Salvo.Caching;

/// <summary>Checks a <see cref="CacheOptions"/>, so a bad value fails when the client is created rather than at the first call.</summary>
public sealed class CacheOptionsValidator : IValidateOptions<CacheOptions>
{
    /// <summary>The shared instance.</summary>
    public static CacheOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        NotNegative(failures, "StaleWhileRevalidate", options.StaleWhileRevalidate);
        NotNegative(failures, "StaleIfError", options.StaleIfError);
        NotNegative(failures, "NegativeTtl", options.NegativeTtl);
        NotNegative(failures, "StoreRecoveryDelay", options.StoreRecoveryDelay);
        for (var i = 0; i < options.Rules.Count; i++)
        {
            if (options.Rules[i] is not { } rule)
                failures.Add($"Rules[{i}] must not be null.");
            else
                NotNegative(failures, $"Rules[{i}] ({rule.Pattern ?? "predicate"}).Ttl", rule.Ttl);
        }
        if (!(options.EarlyRefreshBeta > 0 && double.IsFinite(options.EarlyRefreshBeta)))
            failures.Add($"EarlyRefreshBeta must be a finite number above 0 (got {options.EarlyRefreshBeta}).");
        if (options.IdentityHeaders.Any(string.IsNullOrWhiteSpace))
            failures.Add("IdentityHeaders must not hold an empty name.");
        if (options.Randomizer is null)
            failures.Add("Randomizer must not be null.");
        if (options.MemoryMaxBytes < 0)
            failures.Add($"MemoryMaxBytes must be 0 (off) or more (got {options.MemoryMaxBytes}).");
        if (options.MaxEntryBytes < 1)
            failures.Add($"MaxEntryBytes must be at least 1 (got {options.MaxEntryBytes}).");
        if (options.DatabaseMaxBytes < 1)
            failures.Add($"DatabaseMaxBytes must be at least 1 (got {options.DatabaseMaxBytes}).");
        if (options.DatabasePath is { } path && string.IsNullOrWhiteSpace(path))
            failures.Add("DatabasePath must not be empty; leave it null for memory only.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, if there is any.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="name">The options' name, for the message.</param>
    public static void ThrowIfInvalid(CacheOptions options, string? name = null) =>
        OptionText.ThrowIfFailed(Instance.Validate(name, options), name, typeof(CacheOptions));

    private static void NotNegative(List<string> failures, string name, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
            failures.Add($"{name} must not be negative (got {OptionText.Format(value)}).");
    }
}
