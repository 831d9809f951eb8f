using System.Net;

namespace Salvo;

/// <summary>The server answered with an error status (4xx or 5xx, or a redirect that was not followed).</summary>
/// <remarks>
/// The common statuses a caller acts on have their own types — <see cref="SalvoUnauthorizedException"/> (401),
/// <see cref="SalvoForbiddenException"/> (403), <see cref="SalvoNotFoundException"/> (404),
/// <see cref="SalvoConflictException"/> (409) and <see cref="SalvoTooManyRequestsException"/> (429) — so they can
/// be caught without a <c>when</c> filter; every other status is this type with <see cref="StatusCode"/> set.
/// </remarks>
public class SalvoHttpException : SalvoException
{
    /// <summary>Creates the exception for a received error response.</summary>
    /// <param name="message">What went wrong, free of secrets.</param>
    /// <param name="response">What was received.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoHttpException(string message, SalvoResponseInfo response, SalvoErrorContext? context = null)
        : base(message, null, context)
    {
        ArgumentNullException.ThrowIfNull(response);
        Response = response;
    }

    /// <summary>The status, reason, Retry-After and a bounded preview of the body.</summary>
    public SalvoResponseInfo Response { get; }

    /// <inheritdoc />
    public override HttpStatusCode? StatusCode => Response.StatusCode;

    /// <inheritdoc />
    public override TimeSpan? RetryAfter => Response.RetryAfter;

    /// <summary>Up to <see cref="SalvoResponseInfo.MaxPreviewBytes"/> bytes of the error body, decoded as UTF-8.</summary>
    public string? BodyPreview => Response.BodyPreview;

    /// <inheritdoc />
    /// <remarks>408, 429, 500, 502, 503 and 504 are transient.</remarks>
    public override bool IsTransient => IsTransientStatus(Response.StatusCode);

    /// <summary>Whether a status code describes a condition that may clear if the call is tried again.</summary>
    /// <param name="status">The status code.</param>
    /// <returns><see langword="true"/> for 408, 429, 500, 502, 503 and 504.</returns>
    public static bool IsTransientStatus(HttpStatusCode status) => (int)status is 408 or 429 or 500 or 502 or 503 or 504;
}
