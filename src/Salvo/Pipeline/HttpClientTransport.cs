namespace Salvo.Pipeline;

/// <summary>
/// Uses a user's <see cref="HttpClient"/> as the transport at the bottom of Salvo's pipeline (with its own
/// handlers, default headers and settings), never disposing it.
/// </summary>
internal sealed class HttpClientTransport(HttpClient client) : HttpMessageHandler
{
    public HttpClient Client { get; } = client;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Client.Send(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
}
