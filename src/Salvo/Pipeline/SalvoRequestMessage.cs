namespace Salvo.Pipeline;

/// <summary>
/// The request type Salvo builds. It carries the call's <see cref="SalvoRequestContext"/> in a field, so
/// the hot path does not allocate the <see cref="HttpRequestMessage.Options"/> dictionary.
/// </summary>
internal sealed class SalvoRequestMessage(HttpMethod method, Uri uri) : HttpRequestMessage(method, uri)
{
    public SalvoRequestContext? Context { get; set; }

    public SalvoRequestSettings? Settings { get; set; }

    /// <summary>The source of the attempt this message runs as, when it is one of several at once (hedging); see <see cref="AttemptSource"/>.</summary>
    public AttemptSource? Attempt { get; set; }
}
