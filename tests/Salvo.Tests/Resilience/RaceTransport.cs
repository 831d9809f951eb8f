using System.Net;
using System.Threading.Channels;

namespace Salvo.Tests.Resilience;

/// <summary>
/// A transport that holds every request until the test answers it, and reports arrivals in order: the hedging
/// tests decide which attempt answers first, and whether a cancelled one still answers later (as a handler that
/// ignores cancellation would).
/// </summary>
internal sealed class RaceTransport : HttpMessageHandler
{
    private readonly Channel<RaceAttempt> _arrivals = Channel.CreateUnbounded<RaceAttempt>();
    private int _arrived;

    /// <summary>When set, a cancelled attempt keeps running until the test answers it.</summary>
    public bool IgnoreCancellation { get; init; }

    public int Arrived => Volatile.Read(ref _arrived);

    public List<RaceAttempt> Attempts { get; } = [];

    /// <summary>The next request to reach the transport (a safety limit keeps a broken test from hanging).</summary>
    public async Task<RaceAttempt> NextAsync() => await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await ReadBodyAsync(request.Content);
        var attempt = new RaceAttempt(request, body, cancellationToken, IgnoreCancellation);
        lock (Attempts)
            Attempts.Add(attempt);
        Interlocked.Increment(ref _arrived);
        _arrivals.Writer.TryWrite(attempt);
        return await attempt.Response;
    }

    /// <summary>Reads the body the way a real transport does (serializing it to a stream, which does not buffer it).</summary>
    private static async Task<string> ReadBodyAsync(HttpContent content)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        return System.Text.Encoding.UTF8.GetString(copy.ToArray());
    }
}

/// <summary>One held attempt: answer it, fail it, or (unless told to ignore it) let its cancellation end it.</summary>
internal sealed class RaceAttempt
{
    private readonly TaskCompletionSource<HttpResponseMessage> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RaceAttempt(HttpRequestMessage request, string? body, CancellationToken cancellationToken, bool ignoreCancellation)
    {
        Request = request;
        Body = body;
        Token = cancellationToken;
        if (!ignoreCancellation)
            cancellationToken.Register(() => _response.TrySetCanceled(cancellationToken));
    }

    public HttpRequestMessage Request { get; }

    public string? Body { get; }

    public CancellationToken Token { get; }

    public Task<HttpResponseMessage> Response => _response.Task;

    /// <summary>Answers with <paramref name="status"/> and a body that records its disposal; returns the response.</summary>
    public HttpResponseMessage Respond(HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = new HttpResponseMessage(status) { RequestMessage = Request, Content = new TrackedContent() };
        _response.TrySetResult(response);
        return response;
    }

    public void Fail(Exception exception) => _response.TrySetException(exception);
}
