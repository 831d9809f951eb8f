namespace Salvo;

/// <summary>
/// The response body is larger than <see cref="SalvoClientOptions.MaxResponseSize"/>. Salvo stops reading
/// as soon as the limit is crossed (or at once, when Content-Length declares it), so memory stays bounded.
/// </summary>
public sealed class SalvoResponseTooLargeException : SalvoException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="limit">The configured maximum in bytes.</param>
    /// <param name="declaredLength">The Content-Length the server declared, if any.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoResponseTooLargeException(long limit, long? declaredLength, SalvoErrorContext? context = null)
        : base(BuildMessage(limit, declaredLength, context), null, context)
    {
        Limit = limit;
        DeclaredLength = declaredLength;
    }

    /// <summary>The configured maximum in bytes.</summary>
    public long Limit { get; }

    /// <summary>The Content-Length the server declared, when it declared one.</summary>
    public long? DeclaredLength { get; }

    private static string BuildMessage(long limit, long? declared, SalvoErrorContext? context) =>
        declared is { } d
            ? $"{ErrorText.Call(context)} returned a body of {d} bytes, over the limit of {limit} bytes."
            : $"{ErrorText.Call(context)} returned a body over the limit of {limit} bytes.";
}
