using Microsoft.Extensions.Options;

namespace Salvo.Realtime;

/// <summary>Checks a <see cref="RealtimeOptions"/>; nested in <see cref="SalvoClientOptionsValidator"/>.</summary>
public sealed class RealtimeOptionsValidator : IValidateOptions<RealtimeOptions>
{
    /// <summary>The shared instance.</summary>
    public static RealtimeOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RealtimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxMessageSize < 1024)
            failures.Add($"MaxMessageSize must be at least 1024 bytes (got {options.MaxMessageSize}).");
        if (options.KeepAliveInterval < TimeSpan.Zero)
            failures.Add($"KeepAliveInterval must not be negative (got {options.KeepAliveInterval.TotalMilliseconds:0.###} ms).");
        if (options.IdleTimeout != Timeout.InfiniteTimeSpan && options.IdleTimeout <= TimeSpan.Zero)
            failures.Add($"IdleTimeout must be positive or Timeout.InfiniteTimeSpan (got {options.IdleTimeout.TotalMilliseconds:0.###} ms).");
        Reconnect(failures, options.Reconnect);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static void Reconnect(List<string> failures, ReconnectOptions reconnect)
    {
        Positive(failures, "Reconnect.BaseDelay", reconnect.BaseDelay);
        Positive(failures, "Reconnect.MaxDelay", reconnect.MaxDelay);
        if (reconnect.MaxDelay < reconnect.BaseDelay)
            failures.Add("Reconnect.MaxDelay must not be shorter than Reconnect.BaseDelay.");
        if (reconnect.MaxAttempts is < 1)
            failures.Add($"Reconnect.MaxAttempts must be at least 1, or null for no limit (got {reconnect.MaxAttempts}).");
        if (reconnect.Randomizer is null)
            failures.Add("Reconnect.Randomizer must not be null.");
    }

    internal static void Positive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
            failures.Add($"{name} must be positive (got {value.TotalMilliseconds:0.###} ms).");
    }
}
