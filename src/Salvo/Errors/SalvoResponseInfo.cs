using System.Net;

namespace Salvo;

/// <summary>What Salvo kept of an error response: enough to act on, never a secret header.</summary>
/// <param name="StatusCode">The status code received.</param>
/// <param name="ReasonPhrase">The reason phrase sent by the server, if any.</param>
/// <param name="RetryAfter">The server's Retry-After as a delay from when the response was received (a date in the past is zero).</param>
/// <param name="BodyPreview">At most <see cref="MaxPreviewBytes"/> bytes of the body as text, or <see langword="null"/>.</param>
/// <param name="ContentType">The media type of the body, if any.</param>
public sealed record SalvoResponseInfo(
    HttpStatusCode StatusCode,
    string? ReasonPhrase,
    TimeSpan? RetryAfter,
    string? BodyPreview,
    string? ContentType)
{
    /// <summary>The most body bytes kept for a preview.</summary>
    /// <value>The value is 1024.</value>
    public const int MaxPreviewBytes = 1024;
}
