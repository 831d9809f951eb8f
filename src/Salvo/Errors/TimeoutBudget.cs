namespace Salvo;

/// <summary>Which time budget expired.</summary>
public enum TimeoutBudget
{
    /// <summary>The budget for the whole call, retries and body included.</summary>
    Total = 0,

    /// <summary>The budget for one attempt, up to the response headers.</summary>
    Attempt = 1,

    /// <summary>The budget for opening a connection (TCP and TLS).</summary>
    Connect = 2,

    /// <summary>A timeout raised by a user-provided <see cref="HttpClient"/> or handler (for example its own <see cref="HttpClient.Timeout"/>).</summary>
    Transport = 3,
}
