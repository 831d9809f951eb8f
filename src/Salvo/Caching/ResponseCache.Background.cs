using Microsoft.Extensions.Logging;
using Salvo.Resilience;

namespace Salvo.Caching;

public sealed partial class ResponseCache
{
    private readonly List<Task> _background = [];

    /// <summary>Completes when no background refresh is running (for tests and for disposal).</summary>
    internal async Task WhenBackgroundIdleAsync()
    {
        while (true)
        {
            Task[] running;
            lock (_background)
                running = [.. _background];
            if (running.Length == 0)
                return;
            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Refreshes an entry off the caller's path (stale-while-revalidate, XFetch): one flight per key, so a hot key gets one
    /// refresh however many callers see it stale; callers that miss meanwhile join it. Nobody waits for it, so it runs
    /// detached — on a copy of the request with no budget of the caller's, on the cache's own token, on the thread pool.
    /// </summary>
    private void StartBackgroundRefresh(HttpRequestMessage request, Lookup lookup, Upstream upstream)
    {
        if (_shutdown.IsCancellationRequested || JoinOrLead(request, lookup, join: false, out _) is not { } flight)
            return;
        // Another refresh may have stored a newer answer, and ended, between this call's lookup and now: nothing to do.
        if (_memory is not null && MemoryFind(lookup, request) is { } current && current.StoredAt > lookup.Entry!.StoredAt)
        {
            Flight? open = flight;
            Complete(ref open, null, new FlightResult(current, null, FlightKind.AlreadyFresh) { FromMemory = true });
            return;
        }
        Counters.OnBackgroundRefresh();
        var copy = RequestClone.Of(request, detached: true); // the caller's request belongs to its call (and budget), which ends now
        Task task;
        lock (_background)
        {
            // On the thread pool, never on the caller's path or its synchronization context.
            task = Task.Run(() => RefreshAsync(flight, copy, lookup with { Mode = CacheMode.Refresh }, upstream), CancellationToken.None);
            _background.Add(task);
        }
        _ = task.ContinueWith(
            static (t, state) =>
            {
                var background = (List<Task>)state!;
                lock (background)
                    background.Remove(t);
            },
            _background,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task RefreshAsync(Flight flight, HttpRequestMessage request, Lookup lookup, Upstream upstream)
    {
        try
        {
            var result = await FetchAsync(request, lookup, upstream, flight, _shutdown.Token).ConfigureAwait(false);
            result.Response?.Dispose();
        }
        catch (Exception ex)
        {
            Log.RefreshFailed(_logger, ex.GetType().Name);
        }
        finally
        {
            request.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 202, Level = LogLevel.Debug, EventName = "CacheRefreshFailed",
            Message = "Background cache refresh failed ({ErrorType}); the stored answer stays until it expires")]
        public static partial void RefreshFailed(ILogger logger, string errorType);

        [LoggerMessage(EventId = 203, Level = LogLevel.Information, EventName = "CacheServedStaleOnError",
            Message = "Upstream call failed ({ErrorType}); answered with the stored answer (stale-if-error)")]
        public static partial void ServedStaleOnError(ILogger logger, string errorType);
    }
}
