using Microsoft.Extensions.Logging;

namespace Salvo.Caching;

/// <summary>
/// A persistent store behind a guard: any failure (a corrupt file, a lost connection) is logged as a warning and switches
/// the store off for <see cref="CacheOptions.StoreRecoveryDelay"/>; meanwhile reads miss and writes are skipped. A cache
/// failure never fails a request.
/// </summary>
internal sealed partial class StoreTier(ICacheStore store, ILogger logger, TimeProvider time, TimeSpan recoveryDelay, CacheCounters counters)
{
    private long _offUntilTicks;

    public ICacheStore Store => store;

    public bool Available => time.GetUtcNow().UtcTicks >= Interlocked.Read(ref _offUntilTicks);

    public async ValueTask<CacheEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (!Available)
            return null;
        try
        {
            return await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Fail(ex);
            return null;
        }
    }

    public ValueTask SetAsync(CacheEntry entry, CancellationToken cancellationToken) =>
        Run(static (s, e, _, ct) => s.SetAsync(e!, ct), entry, null, cancellationToken);

    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken) =>
        Run(static (s, _, k, ct) => s.RemoveAsync(k!, ct), null, key, cancellationToken);

    public ValueTask RemoveResourceAsync(string resource, bool exact, CancellationToken cancellationToken) =>
        Run(exact ? static (s, _, r, ct) => s.RemoveResourceAsync(r!, true, ct) : static (s, _, r, ct) => s.RemoveResourceAsync(r!, false, ct), null, resource, cancellationToken);

    public ValueTask RemoveTagAsync(string tag, CancellationToken cancellationToken) =>
        Run(static (s, _, t, ct) => s.RemoveTagAsync(t!, ct), null, tag, cancellationToken);

    private async ValueTask Run(Func<ICacheStore, CacheEntry?, string?, CancellationToken, ValueTask> action, CacheEntry? entry, string? text, CancellationToken cancellationToken)
    {
        if (!Available)
            return;
        try
        {
            await action(store, entry, text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Fail(ex);
        }
    }

    private void Fail(Exception ex)
    {
        Interlocked.Exchange(ref _offUntilTicks, (time.GetUtcNow() + recoveryDelay).UtcTicks);
        counters.OnStoreFailure();
        Log.StoreFailed(logger, store.GetType().Name, recoveryDelay.TotalSeconds, ex.GetType().Name, SafeMessage(ex));
    }

    /// <summary>
    /// The message of failures whose text is known to hold no secret (SQLite's codes, I/O and format errors); a custom
    /// store's exception may quote its connection string, so only its type is logged.
    /// </summary>
    private static string SafeMessage(Exception ex) =>
        ex is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidDataException or ObjectDisposedException or TimeoutException
            ? ex.Message
            : "(message not logged: it may quote the store's connection settings)";

    private static partial class Log
    {
        [LoggerMessage(EventId = 201, Level = LogLevel.Warning, EventName = "CacheStoreFailed",
            Message = "Cache store {Store} failed and is switched off for {OffSeconds:0} s (calls go on without it): {ErrorType}: {Error}")]
        public static partial void StoreFailed(ILogger logger, string store, double offSeconds, string errorType, string error);
    }
}
