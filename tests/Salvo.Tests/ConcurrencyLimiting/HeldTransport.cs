using System.Net;
using System.Threading.Channels;

namespace Salvo.Tests.ConcurrencyLimiting;

/// <summary>A transport that holds every request until the test answers it, and reports arrivals in order.</summary>
internal sealed class HeldTransport : HttpMessageHandler
{
    private readonly Channel<HeldRequest> _arrivals = Channel.CreateUnbounded<HeldRequest>();
    private int _inFlight;
    private int _maxInFlight;
    private int _arrived;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>The next request to reach the transport (a safety limit keeps a broken test from hanging).</summary>
    public async Task<HeldRequest> NextAsync() => await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var held = new HeldRequest(request, cancellationToken);
        Enter();
        try
        {
            _arrivals.Writer.TryWrite(held);
            return await held.Response;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, cancellationToken).GetAwaiter().GetResult();

    private void Enter()
    {
        Interlocked.Increment(ref _arrived);
        var now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }
    }
}

/// <summary>One held request: answer it, fail it, or let the caller's cancellation end it.</summary>
internal sealed class HeldRequest
{
    private readonly TaskCompletionSource<HttpResponseMessage> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldRequest(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Request = request;
        Token = cancellationToken;
        cancellationToken.Register(() => _response.TrySetCanceled(cancellationToken));
    }

    public HttpRequestMessage Request { get; }

    public CancellationToken Token { get; }

    public string Path => Request.RequestUri!.AbsolutePath;

    public Task<HttpResponseMessage> Response => _response.Task;

    public void Respond(HttpStatusCode status = HttpStatusCode.OK, string? rateLimitType = null)
    {
        var response = new HttpResponseMessage(status) { RequestMessage = Request };
        if (rateLimitType is not null)
            response.Headers.TryAddWithoutValidation("X-Rate-Limit-Type", rateLimitType);
        _response.TrySetResult(response);
    }

    public void Fail(Exception exception) => _response.TrySetException(exception);
}
