using System.Net;
using System.Text;
using Salvo.Caching;
using Salvo.Testing;

namespace Salvo.Tests.Caching;

/// <summary>
/// A scripted origin behind a <see cref="CacheHandler"/> on a fake clock: counts the calls that reach it, numbers its
/// bodies (so a test can tell a stored answer from a new one) and lets each test shape the headers.
/// </summary>
internal sealed class CacheTestOrigin : HttpMessageHandler
{
    public static readonly Uri Base = new("http://api.test/v1/");
    private int _calls;

    public CacheTestOrigin(FakeTimeProvider? clock = null) => Clock = clock ?? new FakeTimeProvider();

    public FakeTimeProvider Clock { get; }

    public int Calls => Volatile.Read(ref _calls);

    public List<HttpRequestMessage> Seen { get; } = [];

    /// <summary>Shapes each answer: the request, the call number (1-based) and the response to fill in.</summary>
    public Action<HttpRequestMessage, int, HttpResponseMessage>? Shape { get; set; }

    /// <summary>Replaces the answer entirely (e.g. to throw or to wait); the default writes "body {n}".</summary>
    public Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>>? Respond { get; set; }

    /// <summary>Answers only once <paramref name="gate"/> is released (so calls pile up in flight), with "body {n}" or <paramref name="body"/>.</summary>
    public CacheTestOrigin AnswerAfter(TaskCompletionSource gate, Func<HttpRequestMessage, int, string>? body = null) => AnswerAfter(() => gate.Task, body);

    /// <summary>As <see cref="AnswerAfter(TaskCompletionSource, Func{HttpRequestMessage, int, string}?)"/>, reading the gate at each call.</summary>
    public CacheTestOrigin AnswerAfter(Func<Task> gate, Func<HttpRequestMessage, int, string>? body = null)
    {
        Respond = async (request, n, ct) =>
        {
            await gate().WaitAsync(ct);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body?.Invoke(request, n) ?? $"body {n}"), RequestMessage = request };
        };
        return this;
    }

    public static TaskCompletionSource Gate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public (HttpMessageInvoker Http, ResponseCache Cache) Client(CacheOptions options, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null)
    {
        var cache = new ResponseCache(options, Clock, loggers, Base);
        return (new HttpMessageInvoker(new CacheHandler(cache) { InnerHandler = this }), cache);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _calls);
        lock (Seen)
            Seen.Add(Snapshot(request));
        if (Respond is not null)
            return await Respond(request, n, cancellationToken);
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"body {n}", Encoding.UTF8, "text/plain"), RequestMessage = request };
        Shape?.Invoke(request, n, response);
        return response;
    }

    private static HttpRequestMessage Snapshot(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri);
        foreach (var h in request.Headers)
            copy.Headers.TryAddWithoutValidation(h.Key, h.Value);
        return copy;
    }
}

internal static class CacheTestExtensions
{
    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(this HttpMessageInvoker http, string path, Action<HttpRequestMessage>? setup = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(CacheTestOrigin.Base, path));
        setup?.Invoke(request);
        using var response = await http.SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public static async Task<string> BodyAsync(this HttpMessageInvoker http, string path, Action<HttpRequestMessage>? setup = null) =>
        (await http.GetAsync(path, setup)).Body;

    public static CacheOptions Rule(this CacheOptions options, string pattern, TimeSpan ttl, params string[] tags) => options.Add(pattern, ttl, tags);
}
