using System.CommandLine;
using Salvo.Sandbox;

namespace Salvo.Cli.Commands;

/// <summary>Option factories shared by the commands, so every duration and count parses the same way.</summary>
internal static class CliOptions
{
    public static Option<TimeSpan> Duration(string name, string description, string defaultValue) => new(name)
    {
        Description = $"{description} Default: {defaultValue}.",
        DefaultValueFactory = _ => SandboxOptionsParser.ParseDuration(defaultValue),
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : defaultValue;
            try
            {
                return SandboxOptionsParser.ParseDuration(text);
            }
            catch (FormatException ex)
            {
                result.AddError($"{name}: {ex.Message}");
                return TimeSpan.Zero;
            }
        },
    };

    public static Option<int> Count(string name, string description, int defaultValue, int min = 1)
    {
        var option = new Option<int>(name) { Description = $"{description} Default: {defaultValue}.", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < min)
                result.AddError($"{name} must be at least {min}.");
        });
        return option;
    }

    public static Option<double> Rate(string name, string description, double defaultValue = 0)
    {
        var option = new Option<double>(name)
        {
            Description = $"{description} Between 0 and 1. Default: {defaultValue.ToString(System.Globalization.CultureInfo.InvariantCulture)}.",
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<double>();
            if (value is < 0 or > 1)
                result.AddError($"{name} must be between 0 and 1.");
        });
        return option;
    }
}
