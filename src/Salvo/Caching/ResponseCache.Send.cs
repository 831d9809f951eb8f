using System.Net.Http.Headers;
using Salvo.Resilience;

namespace Salvo.Caching;

/// <summary>Sends a request further down the pipeline.</summary>
internal delegate Task<HttpResponseMessage> Upstream(HttpRequestMessage request, CancellationToken cancellationToken);

public sealed partial class ResponseCache
{
    private static readonly string[] BypassHeaders = ["If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range", "Range", "Upgrade"];

    /// <summary>
    /// The data path: a fresh memory hit is answered here, synchronously and without an upstream call; anything else
    /// continues in <see cref="SendSlowAsync"/>.
    /// </summary>
    internal Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Upstream upstream, CancellationToken cancellationToken)
    {
        var mode = ModeOf(request);
        if (mode is null)
            return HttpMethods.IsSafe(request.Method) || request.RequestUri is not { IsAbsoluteUri: true }
                ? upstream(request, cancellationToken)
                : SendUnsafeAsync(request, upstream, cancellationToken);
        var resource = CacheKeys.Resource(request.RequestUri!);
        var identity = _keys.Identity(request);
        if (mode == CacheMode.Default && !_options.EarlyRefresh && _memory is not null && FreshHit(resource, identity) is { } hit)
        {
            Counters.OnHit(memory: true, hit.Entry.Body.Length);
            return Task.FromResult(CachedResponse.Create(hit.Entry, request, hit.Now));
        }
        return SendSlowAsync(request, upstream, resource, CacheKeys.Key(resource, identity), mode.Value, cancellationToken);
    }

    /// <summary>The hot path: a fresh, non-<c>Vary</c> entry looked up by a key built on the stack (no key string).</summary>
    private (CacheEntry Entry, DateTimeOffset Now)? FreshHit(string resource, string identity)
    {
        Span<char> buffer = stackalloc char[512];
        if (!CacheKeys.TryFormatKey(buffer, resource, identity, out var length) || _memory!.Get(buffer[..length]) is not { IsVaryIndex: false } entry)
            return null;
        var now = _time.GetUtcNow();
        return now < entry.FreshUntil ? (entry, now) : null;
    }

    private async Task<HttpResponseMessage> SendSlowAsync(HttpRequestMessage request, Upstream upstream, string resource, string key, CacheMode mode, CancellationToken cancellationToken)
    {
        CacheEntry? entry = null;
        if (mode == CacheMode.Default)
        {
            (entry, var memory) = await FindAsync(key, request, cancellationToken).ConfigureAwait(false);
            if (entry is not null && Serve(request, upstream, resource, key, entry, memory) is { } served)
                return served;
            if (entry?.UselessAfter is { } useless && _time.GetUtcNow() >= useless)
                entry = null;
        }
        else if (mode == CacheMode.Refresh)
        {
            // A forced refresh still revalidates what is stored, when it can: a 304 costs no body.
            (entry, _) = await FindAsync(key, request, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            return await upstream(request, cancellationToken).ConfigureAwait(false);
        }
        return await FetchAsync(request, new Lookup(resource, key, entry, mode), upstream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers from a stored entry when it is fresh, or stale within stale-while-revalidate; <see langword="null"/> when it must go upstream.</summary>
    private HttpResponseMessage? Serve(HttpRequestMessage request, Upstream upstream, string resource, string key, CacheEntry entry, bool memory)
    {
        var now = _time.GetUtcNow();
        if (now < entry.FreshUntil)
        {
            if (ShouldRefreshEarly(entry, now))
                StartBackgroundRefresh(request, resource, key, entry, upstream);
            Counters.OnHit(memory, entry.Body.Length);
            return CachedResponse.Create(entry, request, _time.GetUtcNow());
        }
        if (!entry.MustRevalidate && now < entry.FreshUntil + entry.StaleWhileRevalidate)
        {
            StartBackgroundRefresh(request, resource, key, entry, upstream);
            Counters.OnStale(entry.Body.Length);
            return CachedResponse.Create(entry, request, _time.GetUtcNow());
        }
        return null;
    }

    /// <summary>
    /// XFetch (Vattani et al., "Optimal Probabilistic Cache Stampede Prevention", VLDB 2015): refresh when
    /// <c>now − fetchDuration × β × ln(random) ≥ expiry</c>, so the chance rises as expiry nears and with how slow the fetch is.
    /// </summary>
    private bool ShouldRefreshEarly(CacheEntry entry, DateTimeOffset now)
    {
        if (!_options.EarlyRefresh || entry.FetchDuration <= TimeSpan.Zero)
            return false;
        var random = _random();
        if (!(random > 0))
            random = double.Epsilon; // zero (or a broken source's NaN): ln would be infinite, so refresh now
        var ahead = entry.FetchDuration.TotalSeconds * _options.EarlyRefreshBeta * -Math.Log(random);
        return now + TimeSpan.FromSeconds(Math.Min(ahead, TimeSpan.MaxValue.TotalSeconds / 2)) >= entry.FreshUntil;
    }

    /// <summary>An unsafe method that succeeded invalidates the caller's stored answer for its URL (RFC 9111 section 4.4).</summary>
    private async Task<HttpResponseMessage> SendUnsafeAsync(HttpRequestMessage request, Upstream upstream, CancellationToken cancellationToken)
    {
        var response = await upstream(request, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode < 400)
        {
            var key = CacheKeys.Key(CacheKeys.Resource(request.RequestUri!), _keys.Identity(request));
            if (_memory is not null)
                await _memory.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
            if (_store is not null)
                await _store.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
        return response;
    }

    /// <summary>How the cache treats a request; <see langword="null"/> when it does not take part (not a GET, a body, conditional headers, bypass).</summary>
    private static CacheMode? ModeOf(HttpRequestMessage request)
    {
        if (request.Method != HttpMethod.Get || request.Content is not null || request.RequestUri is not { IsAbsoluteUri: true })
            return null;
        var mode = request.GetSalvoSettings()?.Cache ?? CacheMode.Default;
        if (mode == CacheMode.Bypass)
            return null;
        var headers = request.Headers.NonValidated;
        if (headers.Count == 0)
            return mode;
        // The caller manages its own validators or ranges: its answer is its business, not the cache's. An upgrade
        // (WebSocket) or an event stream is a connection, not an answer: never held, never shared.
        foreach (var name in BypassHeaders)
        {
            if (headers.Contains(name))
                return null;
        }
        if (headers.TryGetValues("Accept", out var accept) && accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
            return null;
        if (headers.Contains("Cache-Control") && request.Headers.CacheControl is { } cc)
        {
            if (cc.NoStore)
                return null;
            if (cc.NoCache || cc.MaxAge == TimeSpan.Zero)
                return CacheMode.Refresh;
        }
        return mode;
    }

    /// <summary>Finds an entry in memory, then in the persistent tier (promoting it to memory), following a <c>Vary</c> index.</summary>
    private async ValueTask<(CacheEntry? Entry, bool Memory)> FindAsync(string key, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_memory?.Get(key) is { } found)
        {
            var entry = found.IsVaryIndex ? _memory.Get(CacheKeys.VariantKey(key, request, found.VaryHeaders!)) : found;
            if (entry is not null)
                return (entry, true);
        }
        if (_store is null)
            return (null, false);
        var stored = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored is { IsVaryIndex: true })
        {
            var index = stored;
            stored = await _store.GetAsync(CacheKeys.VariantKey(key, request, index.VaryHeaders!), cancellationToken).ConfigureAwait(false);
            if (stored is not null && _memory is not null)
                await _memory.SetAsync(index, cancellationToken).ConfigureAwait(false);
        }
        if (stored is not null && _memory is not null)
            await _memory.SetAsync(stored, cancellationToken).ConfigureAwait(false);
        return (stored, false);
    }

    private static void AddValidators(HttpRequestMessage request, CacheEntry entry)
    {
        if (entry.ETag is { } etag)
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        if (entry.LastModified is { } lastModified)
            request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
    }

    private static void RemoveValidators(HttpRequestHeaders headers)
    {
        headers.Remove("If-None-Match");
        headers.Remove("If-Modified-Since");
    }
}

/// <summary>What the lookup found for a request that must go upstream.</summary>
internal sealed record Lookup(string Resource, string Key, CacheEntry? Entry, CacheMode Mode);
