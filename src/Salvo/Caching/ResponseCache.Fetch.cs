using System.Buffers;
using System.Net;
using Salvo.Resilience;

namespace Salvo.Caching;

public sealed partial class ResponseCache
{
    /// <summary>Goes upstream once for all identical calls in flight (when <see cref="CacheOptions.Coalesce"/> is on).</summary>
    private async Task<HttpResponseMessage> FetchAsync(HttpRequestMessage request, Lookup lookup, Upstream upstream, CancellationToken cancellationToken)
    {
        if (!_options.Coalesce)
            return Deliver(await FetchOnceAsync(request, lookup, upstream, recheck: false, cancellationToken).ConfigureAwait(false), request, null);

        var key = CacheKeys.FlightKey(lookup.Key, request);
        Flight flight;
        bool leader;
        lock (_flights)
        {
            leader = !_flights.TryGetValue(key, out var running);
            flight = running ?? new Flight(key, _shutdown.Token);
            if (leader)
                _flights.Add(key, flight);
            flight.Join();
        }
        // The shared call runs on a copy with a context of its own: the caller that started it may give up, and its
        // call — with the budget the handlers below read — ends then, while the others still wait for the answer.
        if (leader)
            _ = RunFlightAsync(flight, RequestClone.Of(request, detached: true), lookup, upstream);
        else
            Counters.OnCoalesced();

        FlightResult result;
        try
        {
            result = await flight.Result.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            flight.Leave(leader);
            throw;
        }
        if (leader)
            return Deliver(result, request, flight);
        if (result.Entry is null)
            return await upstream(request, cancellationToken).ConfigureAwait(false); // too large to share: its own call
        Counters.OnSaved(result.Entry.Body.Length);
        return CachedResponse.Create(result.Entry, request, _time.GetUtcNow());
    }

    private async Task RunFlightAsync(Flight flight, HttpRequestMessage request, Lookup lookup, Upstream upstream)
    {
        try
        {
            var result = await FetchOnceAsync(request, lookup, upstream, recheck: true, flight.Token).ConfigureAwait(false);
            EndFlight(flight);
            flight.Complete(result);
        }
        catch (Exception ex)
        {
            EndFlight(flight);
            flight.Fail(ex);
        }
    }

    /// <summary>Flights running now: what the cache holds beyond its stores is O(calls in flight).</summary>
    internal int FlightCount
    {
        get
        {
            lock (_flights)
                return _flights.Count;
        }
    }

    private void EndFlight(Flight flight)
    {
        lock (_flights)
            _flights.Remove(flight.Key);
    }

    private HttpResponseMessage Deliver(FlightResult result, HttpRequestMessage request, Flight? flight)
    {
        var bytes = result.Entry?.Body.Length ?? 0;
        switch (result.Kind)
        {
            case FlightKind.Revalidated:
                Counters.OnRevalidated(bytes);
                break;
            case FlightKind.Stale:
                Counters.OnStale(bytes);
                break;
            case FlightKind.AlreadyFresh:
                Counters.OnHit(result.FromMemory, bytes);
                break;
            default:
                Counters.OnMiss();
                break;
        }
        var own = flight is null ? result.LeaderResponse : flight.ClaimLeaderResponse();
        if (own is null)
            return CachedResponse.Create(result.Entry!, request, _time.GetUtcNow());
        own.RequestMessage = request; // the caller's request, not the flight's copy
        return own;
    }

    /// <summary>
    /// One upstream call: conditional when the stored answer has validators; its answer stored when the rules allow. With
    /// <paramref name="recheck"/> (this call leads a new flight, so another flight may have stored the answer since this
    /// call's lookup) it looks once more first; a call without coalescing has no such window, and would only repeat its
    /// lookup — a second store query on a persistent tier.
    /// </summary>
    private async Task<FlightResult> FetchOnceAsync(HttpRequestMessage request, Lookup lookup, Upstream upstream, bool recheck, CancellationToken cancellationToken)
    {
        if (recheck && lookup.Mode == CacheMode.Default)
        {
            var (fresh, memory) = await FindAsync(lookup.Key, request, cancellationToken).ConfigureAwait(false);
            if (fresh is not null && _time.GetUtcNow() < fresh.FreshUntil)
                return new FlightResult(fresh, null, FlightKind.AlreadyFresh) { FromMemory = memory };
        }
        var stale = lookup.Entry;
        var conditional = stale is { HasValidators: true };
        if (conditional)
            AddValidators(request, stale!);
        var start = _time.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await upstream(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && CanServeOnError(stale))
        {
            Log.ServedStaleOnError(_logger, ex.GetType().Name);
            return new FlightResult(stale, null, FlightKind.Stale);
        }
        finally
        {
            if (conditional)
                RemoveValidators(request.Headers);
        }
        var now = _time.GetUtcNow();
        var took = _time.GetElapsedTime(start);
        if (conditional && response.StatusCode == HttpStatusCode.NotModified)
            return new FlightResult(await RevalidatedAsync(request, stale!, response, now, took, cancellationToken).ConfigureAwait(false), null, FlightKind.Revalidated);
        if ((int)response.StatusCode >= 500 && CanServeOnError(stale))
        {
            response.Dispose();
            return new FlightResult(stale, null, FlightKind.Stale);
        }
        return await FetchedAsync(request, lookup, response, now, took, cancellationToken).ConfigureAwait(false);
    }

    private bool CanServeOnError(CacheEntry? stale) =>
        stale is { MustRevalidate: false } && _time.GetUtcNow() < stale.FreshUntil + stale.StaleIfError;

    /// <summary>A 304: the stored body with the new headers, fresh again (RFC 9111 section 4.3.4).</summary>
    private async Task<CacheEntry> RevalidatedAsync(HttpRequestMessage request, CacheEntry stale, HttpResponseMessage notModified, DateTimeOffset now, TimeSpan took, CancellationToken cancellationToken)
    {
        var merged = CachedResponse.Merge(stale, notModified);
        notModified.Dispose();
        using var replay = CachedResponse.Create(merged, request);
        var storage = CachePolicy.Evaluate(replay, RuleFor(request), _options, now);
        var refreshed = merged with
        {
            StoredAt = now,
            FreshUntil = now + storage.Lifetime,
            StaleWhileRevalidate = storage.StaleWhileRevalidate,
            StaleIfError = storage.StaleIfError,
            MustRevalidate = storage.MustRevalidate,
            FetchDuration = took,
        };
        if (storage.Store)
            await StoreAsync(refreshed, cancellationToken).ConfigureAwait(false);
        return refreshed;
    }

    private async Task<FlightResult> FetchedAsync(HttpRequestMessage request, Lookup lookup, HttpResponseMessage response, DateTimeOffset now, TimeSpan took, CancellationToken cancellationToken)
    {
        var rule = RuleFor(request);
        var storage = CachePolicy.Evaluate(response, rule, _options, now);
        if (!storage.Store && lookup.Entry is not null)
            await RemoveKeyAsync(lookup.Key).ConfigureAwait(false); // the server no longer lets it be stored
        // An answer that will not be stored is held for coalesced callers only when its length is known and small: one
        // of unknown length may be a stream that never ends (events, a long download), which the caller must get at once.
        if (!storage.Store && (!_options.Coalesce || response.Content.Headers.ContentLength is not { } length || length > _options.MaxEntryBytes))
            return new FlightResult(null, response, FlightKind.Fetched);
        var body = await BufferAsync(response, cancellationToken).ConfigureAwait(false);
        if (body is null)
            return new FlightResult(null, response, FlightKind.Fetched);

        IReadOnlyList<string>? vary = response.Headers.Vary.Count > 0 ? [.. response.Headers.Vary] : null;
        var key = vary is null ? lookup.Key : CacheKeys.VariantKey(lookup.Key, request, vary);
        var shape = new CacheEntryShape(key, lookup.Resource, rule is null ? [] : [.. rule.Tags], vary);
        var entry = CachedResponse.Capture(response, body, shape, storage, now, took);
        if (storage.Store)
        {
            await StoreAsync(entry, cancellationToken).ConfigureAwait(false);
            if (vary is not null)
                await StoreAsync(new CacheEntry { Key = lookup.Key, Resource = lookup.Resource, Tags = entry.Tags, IsVaryIndex = true, VaryHeaders = vary, StoredAt = now, FreshUntil = entry.FreshUntil }, cancellationToken).ConfigureAwait(false);
        }
        return new FlightResult(entry, response, FlightKind.Fetched);
    }

    private async ValueTask StoreAsync(CacheEntry entry, CancellationToken cancellationToken)
    {
        if (_memory is not null)
            await _memory.SetAsync(entry, cancellationToken).ConfigureAwait(false);
        if (_store is not null)
            await _store.SetAsync(entry, cancellationToken).ConfigureAwait(false);
        if (!entry.IsVaryIndex)
            Counters.OnStored();
    }

    private async ValueTask RemoveKeyAsync(string key)
    {
        if (_memory is not null)
            await _memory.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
        if (_store is not null)
            await _store.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the body into memory, up to <see cref="CacheOptions.MaxEntryBytes"/>, and gives the response a replayable copy.
    /// A larger body is not kept: the response gets a stream of what was read followed by the rest, and the result is null.
    /// </summary>
    private async Task<byte[]?> BufferAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var max = _options.MaxEntryBytes;
        var original = response.Content;
        if (original.Headers.ContentLength is { } length && length > max)
            return null;
        var stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > max)
                {
                    response.Content = WithHeaders(new StreamContent(new PrefixedStream(buffer.ToArray(), stream)), original);
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        var body = buffer.ToArray();
        response.Content = WithHeaders(new ByteArrayContent(body), original);
        original.Dispose();
        return body;
    }

    private static HttpContent WithHeaders(HttpContent content, HttpContent original)
    {
        foreach (var header in original.Headers.NonValidated)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        return content;
    }
}
