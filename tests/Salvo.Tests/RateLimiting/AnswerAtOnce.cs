using System.Net;

namespace Salvo.Tests.RateLimiting;

/// <summary>A transport that answers every request at once (no latency on the fake clock), optionally with headers, and counts them.</summary>
internal sealed class AnswerAtOnce(Func<HttpRequestMessage, (string, string)[]>? headers = null) : HttpMessageHandler
{
    private readonly List<string> _paths = [];

    public IReadOnlyList<string> Paths
    {
        get
        {
            lock (_paths)
                return [.. _paths];
        }
    }

    public int Count
    {
        get
        {
            lock (_paths)
                return _paths.Count;
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_paths)
            _paths.Add(request.RequestUri!.AbsolutePath);
        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        foreach (var (name, value) in headers?.Invoke(request) ?? [])
            response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }
}
