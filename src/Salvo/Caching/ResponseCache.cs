using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Salvo.Caching;

/// <summary>
/// The response cache behind <see cref="CacheHandler"/>: rules and HTTP semantics, a memory tier and an optional persistent
/// tier, single flight, stale serving, and invalidation. One per <see cref="CacheOptions"/>, shared by every pipeline built
/// from them (so it survives <c>IHttpClientFactory</c>'s handler rotation); reach it with <see cref="SalvoClient.Cache"/>.
/// </summary>
/// <remarks>See docs/caching.md for the rules, the key and what is never stored.</remarks>
public sealed partial class ResponseCache : IAsyncDisposable
{
    private readonly CacheOptions _options;
    private readonly CacheRule[] _rules;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Uri? _baseAddress;
    private readonly string? _basePath;
    private readonly string? _baseAuthority;
    private readonly CacheKeys _keys;
    private readonly MemoryCacheStore? _memory;
    private readonly StoreTier? _store;
    private readonly SqliteCacheStore? _ownedStore;
    private readonly FlightRegistry _flights = new();
    private long _writes; // answers stored so far (see Lookup.Writes)
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Func<double> _random;

    /// <summary>Creates a cache from options (read once, here).</summary>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock for freshness; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggers">Where store failures are logged; <see langword="null"/> for nowhere.</param>
    /// <param name="baseAddress">The client's base address, which route patterns and relative invalidation URLs are relative to.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public ResponseCache(CacheOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggers = null, Uri? baseAddress = null)
        : this(options, timeProvider, loggers, baseAddress, credentialIdentity: null)
    {
    }

    /// <param name="options">The rules and stores; read once, now.</param>
    /// <param name="timeProvider">The clock for freshness.</param>
    /// <param name="loggers">Where store failures are logged.</param>
    /// <param name="baseAddress">The client's base address.</param>
    /// <param name="credentialIdentity">The non-secret identity of the client's credential, mixed into every key (see <see cref="CacheKeys"/>).</param>
    internal ResponseCache(CacheOptions options, TimeProvider? timeProvider, ILoggerFactory? loggers, Uri? baseAddress, string? credentialIdentity)
    {
        ArgumentNullException.ThrowIfNull(options);
        CacheOptionsValidator.ThrowIfInvalid(options);
        _options = options;
        _rules = [.. options.Rules];
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)loggers?.CreateLogger<ResponseCache>() ?? NullLogger.Instance;
        _random = options.Randomizer;
        _keys = new CacheKeys(options, credentialIdentity);
        _baseAddress = baseAddress;
        if (baseAddress is { IsAbsoluteUri: true })
        {
            _basePath = baseAddress.AbsolutePath.EndsWith('/') ? baseAddress.AbsolutePath : baseAddress.AbsolutePath + "/";
            _baseAuthority = baseAddress.Authority;
        }
        if (options.MemoryMaxBytes > 0)
            _memory = new MemoryCacheStore(options.MemoryMaxBytes);
        var store = options.Store;
        if (store is null && options.DatabasePath is { } path)
            store = _ownedStore = new SqliteCacheStore(path, options.DatabaseMaxBytes);
        if (store is not null)
            _store = new StoreTier(store, _logger, _time, options.StoreRecoveryDelay, Counters);
    }

    /// <summary>What the cache has done: hits, misses, revalidations, coalesced waits, bytes saved.</summary>
    public CacheCounters Counters { get; } = new();

    /// <summary>Removes every stored answer for a URL (all callers, all variants).</summary>
    /// <param name="url">The URL, absolute or relative to the base address.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when they are gone.</returns>
    public ValueTask InvalidateAsync(string url, CancellationToken cancellationToken = default) =>
        RemoveResourceAsync(CacheKeys.ResourcePrefix(Checked(url), _baseAddress), exact: true, cancellationToken);

    /// <summary>Removes every stored answer whose URL starts with a prefix, e.g. <c>casino/games</c>.</summary>
    /// <param name="urlPrefix">The prefix, absolute or relative to the base address.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when they are gone.</returns>
    public ValueTask InvalidatePrefixAsync(string urlPrefix, CancellationToken cancellationToken = default) =>
        RemoveResourceAsync(CacheKeys.ResourcePrefix(Checked(urlPrefix), _baseAddress), exact: false, cancellationToken);

    /// <summary>Removes every stored answer carrying a tag (given by its rule, see <see cref="CacheRule.Tags"/>).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when they are gone.</returns>
    public async ValueTask InvalidateTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        if (_memory is not null)
            await _memory.RemoveTagAsync(tag, cancellationToken).ConfigureAwait(false);
        if (_store is not null)
            await _store.RemoveTagAsync(tag, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops background refreshes and releases the stores the cache created (a <see cref="CacheOptions.Store"/> is left open).</summary>
    /// <returns>A task that completes when done.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_shutdown.IsCancellationRequested)
            return;
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await WhenBackgroundIdleAsync().ConfigureAwait(false);
        _memory?.Dispose();
        _ownedStore?.Dispose();
        _shutdown.Dispose();
    }

    /// <summary>The synchronous part of disposal, for a handler that owns its cache: background refreshes are cancelled, not awaited.</summary>
    internal void Release()
    {
        if (_shutdown.IsCancellationRequested)
            return;
        _shutdown.Cancel();
        _memory?.Dispose();
        _ownedStore?.Dispose();
    }

    private static string Checked(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url;
    }

    private async ValueTask RemoveResourceAsync(string resource, bool exact, CancellationToken cancellationToken)
    {
        if (_memory is not null)
            await _memory.RemoveResourceAsync(resource, exact, cancellationToken).ConfigureAwait(false);
        if (_store is not null)
            await _store.RemoveResourceAsync(resource, exact, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first rule that matches the request, or <see langword="null"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="resource">The request's <see cref="CacheKeys.Resource"/>, whose path the patterns see (no path string is made).</param>
    private CacheRule? RuleFor(HttpRequestMessage request, string resource)
    {
        if (_rules.Length == 0)
            return null;
        var path = CacheKeys.PathOf(resource, out var authority);
        // Relative to the base address when the request is under it (same authority, path below the base's); else the
        // path after its leading '/'.
        var relative = _basePath is not null && authority.SequenceEqual(_baseAuthority) && path.StartsWith(_basePath, StringComparison.Ordinal)
            ? path[_basePath.Length..]
            : path.TrimStart('/');
        foreach (var rule in _rules)
        {
            if (rule.Matches(request, path, relative))
                return rule;
        }
        return null;
    }
}
