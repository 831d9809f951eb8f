using System.Net;
using System.Threading.Channels;

namespace Salvo.Tests.RateLimiting;

/// <summary>A transport that holds every request until the test answers it (with any headers), reporting arrivals in order.</summary>
internal sealed class HeldServer : HttpMessageHandler
{
    private readonly Channel<HeldCall> _arrivals = Channel.CreateUnbounded<HeldCall>();
    private int _arrived;

    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>The next request to arrive (a safety limit keeps a broken test from hanging).</summary>
    public async Task<HeldCall> NextAsync() => await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Whether a request arrived that the test has not taken yet.</summary>
    public bool TryNext(out HeldCall call) => _arrivals.Reader.TryRead(out call!);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = new HeldCall(request, cancellationToken);
        Interlocked.Increment(ref _arrived);
        _arrivals.Writer.TryWrite(call);
        return call.Response;
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, cancellationToken).GetAwaiter().GetResult();
}

/// <summary>One held request: answer it or fail it; the caller's cancellation ends it too.</summary>
internal sealed class HeldCall
{
    private readonly TaskCompletionSource<HttpResponseMessage> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldCall(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Request = request;
        cancellationToken.Register(() => _response.TrySetCanceled(cancellationToken));
    }

    public HttpRequestMessage Request { get; }

    public string Path => Request.RequestUri!.AbsolutePath;

    public Task<HttpResponseMessage> Response => _response.Task;

    /// <summary>Answers with <paramref name="status"/> and headers given as name/value pairs.</summary>
    public void Respond(HttpStatusCode status = HttpStatusCode.OK, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { RequestMessage = Request };
        foreach (var (name, value) in headers)
            response.Headers.TryAddWithoutValidation(name, value);
        _response.TrySetResult(response);
    }

    public void Respond(params (string Name, string Value)[] headers) => Respond(HttpStatusCode.OK, headers);

    public void Fail(Exception exception) => _response.TrySetException(exception);
}
