using System.Net;
using System.Net.Http.Headers;

namespace Salvo.Benchmarks.Support;

/// <summary>
/// A primary handler with no network whose answer arrives later, on <see cref="Release"/>: every async frame of the
/// pipeline above it suspends and resumes, as on a network, but the resumption runs inline on the benchmark's thread,
/// so no thread-pool hop adds its noise to what is measured. One call at a time.
/// </summary>
public sealed class DeferredAnswerHandler(byte[] body) : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private TaskCompletionSource<HttpResponseMessage>? _pending;
    private HttpRequestMessage? _request;

    /// <summary>Answers the call in flight; its continuations run now, on this thread.</summary>
    /// <exception cref="InvalidOperationException">No call reached the transport (a stage held it back or went async).</exception>
    public void Release()
    {
        var pending = _pending ?? throw new InvalidOperationException("No call is waiting at the transport.");
        _pending = null;
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        pending.SetResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = _request });
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _request = request;
        _pending = new TaskCompletionSource<HttpResponseMessage>();
        return _pending.Task;
    }
}
