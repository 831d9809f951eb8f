using Microsoft.Extensions.Options;

namespace Salvo.Resilience;

/// <summary>What the resilience option validators share: how a time reads in a message, and how failures are thrown.</summary>
internal static class OptionText
{
    public static string Format(TimeSpan value) =>
        value == Timeout.InfiniteTimeSpan ? "infinite" : $"{value.TotalMilliseconds:0.###} ms";

    public static void ThrowIfFailed(ValidateOptionsResult result, string? name, Type optionsType)
    {
        if (result.Failed)
            throw new OptionsValidationException(name ?? Options.DefaultName, optionsType, result.Failures);
    }
}
