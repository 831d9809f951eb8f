namespace Salvo;

/// <summary>
/// The response arrived but could not be turned into the requested type: malformed JSON, the wrong
/// content type, or an empty body. <see cref="BodyPreview"/> shows the start of what was received.
/// </summary>
public sealed class SalvoDecodingException : SalvoException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, free of secrets.</param>
    /// <param name="targetType">The type the body was decoded into.</param>
    /// <param name="contentType">The media type the server declared, if any.</param>
    /// <param name="bodyPreview">At most <see cref="SalvoResponseInfo.MaxPreviewBytes"/> bytes of the body.</param>
    /// <param name="innerException">The decoder's exception.</param>
    /// <param name="context">The call this failure belongs to.</param>
    public SalvoDecodingException(string message, Type targetType, string? contentType, string? bodyPreview, Exception? innerException = null, SalvoErrorContext? context = null)
        : base(message, innerException, context)
    {
        TargetType = targetType;
        ContentType = contentType;
        BodyPreview = bodyPreview;
    }

    /// <summary>The type the body was decoded into.</summary>
    public Type TargetType { get; }

    /// <summary>The media type the server declared, if any.</summary>
    public string? ContentType { get; }

    /// <summary>The start of the body as text (bounded), for diagnosis.</summary>
    public string? BodyPreview { get; }
}
