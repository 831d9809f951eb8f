using System.Net;
using System.Net.Http.Headers;

namespace Salvo.Cli.Bench;

/// <summary>
/// An in-process transport that answers every request with the same small JSON body after yielding once,
/// so a benchmark measures Salvo and the helpers rather than a network.
/// </summary>
internal sealed class StubHandler(byte[] body) : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }
}
