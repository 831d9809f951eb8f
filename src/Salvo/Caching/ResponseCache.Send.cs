using System.Net.Http.Headers;
using Salvo.Resilience;

namespace Salvo.Caching;

/// <summary>Sends a request further down the pipeline.</summary>
internal delegate Task<HttpResponseMessage> Upstream(HttpRequestMessage request, CancellationToken cancellationToken);

public sealed partial class ResponseCache
{
    private static readonly string[] BypassHeaders = ["If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range", "Range", "Upgrade"];

    /// <summary>Keys up to this many characters are formatted on the stack; longer ones become strings.</summary>
    private const int StackKeyLength = 512;

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
        var lookup = new Lookup(CacheKeys.Resource(request.RequestUri!), _keys.Identity(request), null, mode.Value) { Writes = Volatile.Read(ref _writes) };
        if (mode == CacheMode.Default && _memory is not null)
        {
            // The memory tier is asked once: a fresh hit is answered here, and what it found (or that it found nothing) goes on.
            var found = MemoryGet(lookup);
            if (found is { IsVaryIndex: false } entry && !_options.EarlyRefresh)
            {
                var now = _time.GetUtcNow();
                if (now < entry.FreshUntil)
                {
                    Counters.OnHit(memory: true, entry.Body.Length);
                    return Task.FromResult(CachedResponse.Create(entry, request, now));
                }
            }
            return SendSlowAsync(request, upstream, lookup, new MemoryLook(found), cancellationToken);
        }
        return SendSlowAsync(request, upstream, lookup, default, cancellationToken);
    }

    /// <summary>The memory tier's entry under the request's key (a <c>Vary</c> index as it is), looked up by a key on the stack.</summary>
    private CacheEntry? MemoryGet(Lookup lookup)
    {
        Span<char> buffer = stackalloc char[StackKeyLength];
        return CacheKeys.TryFormatKey(buffer, lookup.Resource, lookup.Identity, out var length)
            ? _memory!.Get(buffer[..length])
            : _memory!.Get(lookup.Key);
    }

    /// <summary>
    /// Everything but a fresh memory hit, in one async frame: the stores, then a stale answer or the identical call in flight
    /// (single flight), else the upstream call — which the first caller makes itself, on its own request and token, while
    /// callers arriving meanwhile wait for its answer (see <see cref="FetchAsync"/>). The memory tier is not asked again when
    /// <see cref="SendAsync"/> asked it (<c>looked</c>).
    /// </summary>
    private async Task<HttpResponseMessage> SendSlowAsync(HttpRequestMessage request, Upstream upstream, Lookup lookup, MemoryLook looked, CancellationToken cancellationToken)
    {
        if (lookup.Mode == CacheMode.Default)
        {
            var (entry, memory) = await FindAsync(lookup, request, cancellationToken, looked).ConfigureAwait(false);
            if (entry is not null && Serve(request, upstream, lookup, entry, memory) is { } served)
                return served;
            if (entry?.UselessAfter is { } useless && _time.GetUtcNow() >= useless)
                entry = null;
            lookup = lookup with { Entry = entry };
        }
        else if (lookup.Mode == CacheMode.Refresh)
        {
            // A forced refresh still revalidates what is stored, when it can: a 304 costs no body.
            lookup = lookup with { Entry = (await FindAsync(lookup, request, cancellationToken).ConfigureAwait(false)).Entry };
        }
        else
        {
            return await upstream(request, cancellationToken).ConfigureAwait(false);
        }
        if (!_options.Coalesce)
            return Deliver(await FetchAsync(request, lookup, upstream, null, cancellationToken).ConfigureAwait(false), request);

        var coalesced = false;
        while (true)
        {
            if (JoinOrLead(request, lookup, join: true, out var joined) is { } flight)
                return Deliver(await FetchAsync(request, lookup, upstream, flight, cancellationToken).ConfigureAwait(false), request);
            if (!coalesced)
            {
                coalesced = true;
                Counters.OnCoalesced();
            }
            var shared = await joined!.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (shared.Kind == FlightKind.Abandoned)
                continue; // the leader's own call ended before an answer: try again, perhaps as the new leader
            if (shared.Entry is null)
                return await upstream(request, cancellationToken).ConfigureAwait(false); // not shareable: its own call
            Counters.OnSaved(shared.Entry.Body.Length);
            return CachedResponse.Create(shared.Entry, request, _time.GetUtcNow());
        }
    }

    /// <summary>
    /// Joins the identical call in flight (<see langword="null"/>, and with <paramref name="join"/> its result in
    /// <paramref name="joined"/>), or leads a new one; the flight key is formatted on the stack.
    /// </summary>
    private Flight? JoinOrLead(HttpRequestMessage request, Lookup lookup, bool join, out Task<FlightResult>? joined)
    {
        Span<char> buffer = stackalloc char[StackKeyLength];
        return CacheKeys.TryFormatFlightKey(buffer, lookup.Resource, lookup.Identity, request, out var length)
            ? _flights.JoinOrLead(buffer[..length], join, out joined)
            : _flights.JoinOrLead(CacheKeys.FlightKey(lookup.Resource, lookup.Identity, request), join, out joined);
    }

    /// <summary>Answers from a stored entry when it is fresh, or stale within stale-while-revalidate; <see langword="null"/> when it must go upstream.</summary>
    private HttpResponseMessage? Serve(HttpRequestMessage request, Upstream upstream, Lookup lookup, CacheEntry entry, bool memory)
    {
        var now = _time.GetUtcNow();
        if (now < entry.FreshUntil)
        {
            if (ShouldRefreshEarly(entry, now))
                StartBackgroundRefresh(request, lookup with { Entry = entry }, upstream);
            Counters.OnHit(memory, entry.Body.Length);
            return CachedResponse.Create(entry, request, _time.GetUtcNow());
        }
        if (!entry.MustRevalidate && now < entry.FreshUntil + entry.StaleWhileRevalidate)
        {
            StartBackgroundRefresh(request, lookup with { Entry = entry }, upstream);
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
    private ValueTask<(CacheEntry? Entry, bool Memory)> FindAsync(Lookup lookup, HttpRequestMessage request, CancellationToken cancellationToken, MemoryLook looked = default)
    {
        if (_memory is not null && MemoryFind(lookup, request, looked) is { } entry)
            return new((entry, true));
        return _store is null ? default : FindStoredAsync(lookup.Key, request, cancellationToken);
    }

    /// <summary>
    /// The memory tier's answer for the request, following a <c>Vary</c> index to the request's variant; what
    /// <see cref="SendAsync"/> found already when it looked (<paramref name="looked"/>), so that lookup is not repeated.
    /// </summary>
    private CacheEntry? MemoryFind(Lookup lookup, HttpRequestMessage request, MemoryLook looked = default)
    {
        var found = looked.Done ? looked.Found : MemoryGet(lookup);
        return found is { IsVaryIndex: true } ? _memory!.Get(CacheKeys.VariantKey(found.Key, request, found.VaryHeaders!)) : found;
    }

    private async ValueTask<(CacheEntry? Entry, bool Memory)> FindStoredAsync(string key, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var stored = await _store!.GetAsync(key, cancellationToken).ConfigureAwait(false);
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

/// <summary>
/// A request as the cache sees it: its resource (normalised URL), its caller's identity hash, what is stored for it (a stale
/// entry to revalidate or serve on error) and the mode. The key is built from the first two only when a string is needed
/// (the persistent tier, a write); lookups in memory and in the flight registry format it on the stack.
/// </summary>
internal readonly record struct Lookup(string Resource, string Identity, CacheEntry? Entry, CacheMode Mode)
{
    /// <summary>The cache's count of stored answers before the call looked: unchanged, nothing can have been stored since.</summary>
    public long Writes { get; init; }

    /// <summary>The cache key as a new string (see <see cref="CacheKeys.Key"/>): build it once, where it is needed.</summary>
    public string Key => CacheKeys.Key(Resource, Identity);
}

/// <summary>A lookup in the memory tier already made: what it found under the key (a <c>Vary</c> index as it is), or nothing.</summary>
internal readonly record struct MemoryLook(CacheEntry? Found)
{
    /// <summary>Whether the lookup was made (the default value says it was not).</summary>
    public bool Done { get; } = true;
}
