using System.Net;
using System.Net.Http.Headers;

namespace Salvo.Benchmarks.Support;

/// <summary>
/// A primary handler that never touches the network: it answers every request with a fresh response over
/// the same JSON bytes, so benchmarks measure the client and its pipeline, not sockets.
/// </summary>
public sealed class NoRemoteCallHandler(byte[] body) : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }
}
