using System.Net;
using System.Runtime.CompilerServices;
using Salvo.Pipeline;

namespace Salvo.Caching;

public sealed partial class ResponseCache
{
    /// <summary>Flights running now: what the cache holds beyond its stores is O(calls in flight).</summary>
    internal int FlightCount => _flights.Count;

    /// <summary>
    /// One upstream call — made by the caller that leads <paramref name="flight"/> (or without one: coalescing off), on its
    /// own request and token, or by a background refresh on its copy — and what becomes of its answer: conditional when the
    /// stored answer has validators, stored when the rules allow, and handed to the flight's waiters.
    /// </summary>
    /// <remarks>
    /// <para>The flight is closed (nobody can join any more) after the answer is stored, so a caller arriving meanwhile
    /// finds it stored or joins; an answer that will not be stored closes it first, then is held for the waiters only when
    /// there are some and its length is known and small. When the leader's own call ends (its caller cancelled, its total
    /// budget ran out) the waiters are told to try again rather than failed (see <see cref="CallEnded"/>); any other
    /// failure is theirs too.</para>
    /// <para>Pooled: a miss whose upstream answers at once allocates no state machine here, and one that waits reuses one.</para>
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FlightResult> FetchAsync(HttpRequestMessage request, Lookup lookup, Upstream upstream, Flight? flight, CancellationToken cancellationToken)
    {
        TaskCompletionSource<FlightResult>? waiters = null; // once the flight is closed before its answer is ready
        HttpResponseMessage? response = null;
        try
        {
            if (flight is not null && lookup.Mode == CacheMode.Default && Volatile.Read(ref _writes) != lookup.Writes)
            {
                // This call leads a new flight, so another flight may have stored the answer since its lookup — when
                // anything was stored since — so look once more. (A call without coalescing has no such window, and would
                // only repeat its lookup.) A flight stores before it closes, so a leader that finds it closed sees the count moved.
                var (fresh, memory) = await FindAsync(lookup, request, cancellationToken).ConfigureAwait(false);
                if (fresh is not null && _time.GetUtcNow() < fresh.FreshUntil)
                    return Complete(ref flight, waiters, new FlightResult(fresh, null, FlightKind.AlreadyFresh) { FromMemory = memory });
            }
            var stale = lookup.Entry;
            var conditional = stale is { HasValidators: true };
            if (conditional)
                AddValidators(request, stale!);
            var start = _time.GetTimestamp();
            try
            {
                response = await upstream(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (CanServeOnError(stale) && !CallEnded(request, cancellationToken))
            {
                Log.ServedStaleOnError(_logger, ex.GetType().Name);
                return Complete(ref flight, waiters, new FlightResult(stale, null, FlightKind.Stale));
            }
            finally
            {
                if (conditional)
                    RemoveValidators(request.Headers);
            }
            var now = _time.GetUtcNow();
            var took = _time.GetElapsedTime(start);
            // The budget may have replaced the token this stage was given (an attempt timed out and was retried).
            var token = CallToken(request, cancellationToken);
            if (conditional && response.StatusCode == HttpStatusCode.NotModified)
            {
                var revalidated = await RevalidatedAsync(request, lookup, stale!, response, now, took, token).ConfigureAwait(false);
                response = null;
                return Complete(ref flight, waiters, new FlightResult(revalidated, null, FlightKind.Revalidated));
            }
            if ((int)response.StatusCode >= 500 && CanServeOnError(stale))
            {
                response.Dispose();
                response = null;
                return Complete(ref flight, waiters, new FlightResult(stale, null, FlightKind.Stale));
            }

            var rule = RuleFor(request, lookup.Resource);
            var storage = CachePolicy.Evaluate(response, rule, _options, now);
            if (!storage.Store)
            {
                if (lookup.Entry is not null)
                    await RemoveKeyAsync(lookup.Key).ConfigureAwait(false); // the server no longer lets it be stored
                // Held only for callers already waiting, and only when its length is known and small: one of unknown
                // length may be a stream that never ends (events, a long download), which the caller must get at once.
                waiters = Close(ref flight);
                if (waiters is null || response.Content.Headers.ContentLength is not { } length || length > _options.MaxEntryBytes)
                    return Complete(ref flight, waiters, new FlightResult(null, response, FlightKind.Fetched));
            }
            var body = await BufferAsync(response, token).ConfigureAwait(false);
            if (body is null)
                return Complete(ref flight, waiters, new FlightResult(null, response, FlightKind.Fetched)); // too large to keep

            IReadOnlyList<string>? vary = response.Headers.NonValidated.Contains("Vary") && response.Headers.Vary.Count > 0 ? [.. response.Headers.Vary] : null;
            var key = lookup.Key;
            var shape = new CacheEntryShape(vary is null ? key : CacheKeys.VariantKey(key, request, vary), lookup.Resource, rule is null ? [] : [.. rule.Tags], vary);
            var entry = CachedResponse.Capture(response, body, shape, storage, now, took);
            if (storage.Store)
            {
                await StoreAsync(entry, token).ConfigureAwait(false);
                if (vary is not null)
                    await StoreAsync(new CacheEntry { Key = key, Resource = lookup.Resource, Tags = entry.Tags, IsVaryIndex = true, VaryHeaders = vary, StoredAt = now, FreshUntil = entry.FreshUntil }, token).ConfigureAwait(false);
            }
            return Complete(ref flight, waiters, new FlightResult(entry, response, FlightKind.Fetched));
        }
        catch (Exception ex)
        {
            response?.Dispose();
            if ((Close(ref flight) ?? waiters) is { } tell)
            {
                if (CallEnded(request, cancellationToken))
                    tell.TrySetResult(FlightResult.Abandoned);
                else
                    tell.TrySetException(ex);
            }
            throw;
        }
    }

    /// <summary>Closes the flight (when still open) and tells its waiters the result, without the leader's response.</summary>
    private FlightResult Complete(ref Flight? flight, TaskCompletionSource<FlightResult>? waiters, FlightResult result)
    {
        (Close(ref flight) ?? waiters)?.TrySetResult(result.Shared);
        return result;
    }

    /// <summary>Closes the flight once: its waiters' completion source, or <see langword="null"/> (no flight, or nobody joined).</summary>
    private TaskCompletionSource<FlightResult>? Close(ref Flight? flight)
    {
        if (flight is null)
            return null;
        var waiters = _flights.Close(flight);
        flight = null;
        return waiters;
    }

    /// <summary>
    /// Whether the call itself is over — its caller cancelled, or its total budget ran out — rather than an attempt inside it
    /// having timed out: the budget re-arms one token source for each attempt, so the token this stage was given fires for
    /// an attempt too, and a retry then goes on with a new one.
    /// </summary>
    private static bool CallEnded(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!cancellationToken.IsCancellationRequested)
            return false;
        if (SalvoRequestContext.Find(request)?.Budget is not { } budget)
            return true;
        try
        {
            return budget.Token.IsCancellationRequested && (!budget.TimedOut || budget.ExpiredBudget == TimeoutBudget.Total);
        }
        catch (ObjectDisposedException)
        {
            return true; // the budget of a call that already ended
        }
    }

    /// <summary>The call's token as it is now (see <see cref="CallEnded"/>): the given one, unless the budget has replaced it.</summary>
    private static CancellationToken CallToken(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!cancellationToken.IsCancellationRequested || SalvoRequestContext.Find(request)?.Budget is not { } budget)
            return cancellationToken;
        try
        {
            return budget.Token;
        }
        catch (ObjectDisposedException)
        {
            return cancellationToken;
        }
    }

    private HttpResponseMessage Deliver(FlightResult result, HttpRequestMessage request)
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
        if (result.Response is not { } own)
            return CachedResponse.Create(result.Entry!, request, _time.GetUtcNow());
        own.RequestMessage = request; // the caller's request, also when the handler below did not set it
        return own;
    }

    private bool CanServeOnError(CacheEntry? stale) =>
        stale is { MustRevalidate: false } && _time.GetUtcNow() < stale.FreshUntil + stale.StaleIfError;

    /// <summary>A 304: the stored body with the new headers, fresh again (RFC 9111 section 4.3.4).</summary>
    private async Task<CacheEntry> RevalidatedAsync(HttpRequestMessage request, Lookup lookup, CacheEntry stale, HttpResponseMessage notModified, DateTimeOffset now, TimeSpan took, CancellationToken cancellationToken)
    {
        var merged = CachedResponse.Merge(stale, notModified);
        notModified.Dispose();
        using var replay = CachedResponse.Create(merged, request);
        var storage = CachePolicy.Evaluate(replay, RuleFor(request, lookup.Resource), _options, now);
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

    private async ValueTask StoreAsync(CacheEntry entry, CancellationToken cancellationToken)
    {
        if (_memory is not null)
            await _memory.SetAsync(entry, cancellationToken).ConfigureAwait(false);
        if (_store is not null)
            await _store.SetAsync(entry, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _writes); // after the write: see Lookup.Writes
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
}
