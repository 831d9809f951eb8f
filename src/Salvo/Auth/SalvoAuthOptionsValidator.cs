using Microsoft.Extensions.Options;
using Salvo.Resilience;

namespace Salvo.Auth;

/// <summary>Checks a <see cref="SalvoAuthOptions"/> (and, for OAuth grants, the endpoint and client).</summary>
public sealed class SalvoAuthOptionsValidator : IValidateOptions<SalvoAuthOptions>
{
    /// <summary>The shared instance.</summary>
    public static SalvoAuthOptionsValidator Instance { get; } = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SalvoAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.RefreshSkew < TimeSpan.Zero)
            failures.Add($"RefreshSkew must not be negative (got {OptionText.Format(options.RefreshSkew)}).");
        if (options.MaxUnauthorizedReplays is < 0 or > SalvoAuthOptions.MaxUnauthorizedReplaysLimit)
            failures.Add($"MaxUnauthorizedReplays must be between 0 and {SalvoAuthOptions.MaxUnauthorizedReplaysLimit} (got {options.MaxUnauthorizedReplays}).");
        if (options.RefreshTimeout <= TimeSpan.Zero || options.RefreshTimeout == Timeout.InfiniteTimeSpan)
            failures.Add($"RefreshTimeout must be positive and finite (got {OptionText.Format(options.RefreshTimeout)}).");
        if (options.FailureBackoff <= TimeSpan.Zero)
            failures.Add($"FailureBackoff must be positive (got {OptionText.Format(options.FailureBackoff)}): a failing token endpoint must not be asked in a loop.");
        if (options.MaxFailureBackoff < options.FailureBackoff)
            failures.Add($"MaxFailureBackoff ({OptionText.Format(options.MaxFailureBackoff)}) must not be shorter than FailureBackoff ({OptionText.Format(options.FailureBackoff)}).");
        if (options is OAuthTokenOptions oauth)
            ValidateOAuth(oauth, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, if there is any.</summary>
    /// <param name="options">The options to check.</param>
    /// <param name="name">The options' name, for the message.</param>
    public static void ThrowIfInvalid(SalvoAuthOptions options, string? name = null) =>
        OptionText.ThrowIfFailed(Instance.Validate(name, options), name, options?.GetType() ?? typeof(SalvoAuthOptions));

    private static void ValidateOAuth(OAuthTokenOptions options, List<string> failures)
    {
        if (options.TokenEndpoint is not { IsAbsoluteUri: true } endpoint || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
            failures.Add("TokenEndpoint must be an absolute http or https URL.");
        else if (endpoint.Scheme == Uri.UriSchemeHttp && !endpoint.IsLoopback)
            failures.Add($"TokenEndpoint must use https (got {Telemetry.Redaction.RedactUrl(endpoint)}): client secrets and tokens must not cross the network in clear text; http is accepted for loopback only.");
        if (string.IsNullOrEmpty(options.ClientId))
            failures.Add("ClientId is required.");
        if (options is RefreshTokenOptions { RefreshToken: null or "" })
            failures.Add("RefreshToken is required.");
        if (!Enum.IsDefined(options.ClientAuthentication))
            failures.Add($"ClientAuthentication must be Basic or Form (got {(int)options.ClientAuthentication}).");
    }
}
