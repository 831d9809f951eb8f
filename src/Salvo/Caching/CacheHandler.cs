namespace Salvo.Caching;

/// <summary>
/// The response cache as a <see cref="DelegatingHandler"/> (pipeline position 2, <see cref="Pipeline.PipelineStage.Cache"/>):
/// a fresh hit returns here, before the total timeout, retries and the rate limiter, so it spends no budget; identical
/// GETs in flight share one upstream call. Works under <c>IHttpClientFactory</c> or a plain <see cref="HttpClient"/> too.
/// </summary>
/// <remarks>
/// The synchronous <see cref="Send"/> does everything the asynchronous path does, with the inner handlers' synchronous
/// <c>Send</c>; a call that joins an identical one in flight blocks its thread until that one's answer arrives.
/// </remarks>
public sealed class CacheHandler : DelegatingHandler
{
    private readonly Upstream _upstream;
    private readonly Upstream _syncUpstream;
    private readonly bool _ownsCache;

    /// <summary>Creates the handler over a cache (which it does not own: one cache may serve several handlers).</summary>
    /// <param name="cache">The cache.</param>
    public CacheHandler(ResponseCache cache)
    {
        Cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _upstream = base.SendAsync;
        _syncUpstream = (request, cancellationToken) => Task.FromResult(base.Send(request, cancellationToken));
    }

    /// <summary>Creates the handler with a cache of its own, made from options and released when the handler is disposed.</summary>
    /// <param name="options">The cache options.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public CacheHandler(CacheOptions options, TimeProvider? timeProvider = null)
        : this(new ResponseCache(options ?? throw new ArgumentNullException(nameof(options)), timeProvider)) =>
        _ownsCache = true;

    /// <summary>The cache this handler serves from.</summary>
    public ResponseCache Cache { get; }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Cache.SendAsync(request, _upstream, cancellationToken);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsCache)
            Cache.Release();
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // With a synchronous upstream and the built-in stores every step completes at once; only a wait for an identical
        // call in flight (or a custom store that is truly asynchronous) blocks.
        return Cache.SendAsync(request, _syncUpstream, cancellationToken).GetAwaiter().GetResult();
    }
}
