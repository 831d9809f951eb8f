namespace Salvo.Auth;

public sealed partial class SalvoAuth
{
    private readonly object _gate = new();
    private readonly TimeSpan _refreshTimeout;
    private readonly TimeSpan _failureBackoff;
    private readonly TimeSpan _maxFailureBackoff;
    private volatile TokenEntry? _current;
    private TaskCompletionSource<TokenEntry>? _pending; // guarded by _gate, like the three below
    private DateTimeOffset _pendingStartsAt;
    private int _failuresInARow;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;
    private RefreshFailure? _lastFailure;

    /// <inheritdoc />
    public async ValueTask<SalvoToken> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return (await GetEntryAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false)).Token;
        }
        catch (TokenEndpointException failed)
        {
            throw ToException(failed, null);
        }
    }

    /// <inheritdoc />
    public async ValueTask<SalvoToken> RefreshAsync(SalvoToken rejected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var current = _current;
        if (current is null || !_source.CanRefresh)
            return await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var used = ReferenceEquals(current.Token, rejected) || current.Token.Value == rejected.Value ? current : null;
        try
        {
            var entry = used is null
                ? await GetEntryAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false)
                : await AfterRejectionAsync(used, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            return entry.Token;
        }
        catch (TokenEndpointException failed)
        {
            throw ToException(failed, null);
        }
    }

    /// <summary>The current token while it is fresh and no refresh is due (no lock, no allocation); otherwise <see langword="null"/>.</summary>
    internal TokenEntry? FreshEntry()
    {
        var entry = _current;
        return entry is not null && !entry.Rejected && (entry.DueAt == DateTimeOffset.MaxValue || _time.GetUtcNow() < entry.DueAt) ? entry : null;
    }

    /// <summary>
    /// The token for a request: the current one while it is fresh (no lock, no allocation); the current one plus a
    /// background refresh once it is due; a shared refresh, waited for, once it expired or was rejected.
    /// </summary>
    /// <param name="remaining">The call's remaining budget: a refresh that cannot start within it fails the call at once.</param>
    /// <param name="cancellationToken">Stops this caller's wait (the call's budget).</param>
    /// <exception cref="TokenEndpointException">The refresh failed (map it with <see cref="ToException"/>).</exception>
    internal ValueTask<TokenEntry> GetEntryAsync(TimeSpan remaining, CancellationToken cancellationToken)
    {
        var entry = _current;
        if (entry is not null && !entry.Rejected)
        {
            var now = _time.GetUtcNow();
            if (now < entry.DueAt)
                return new(entry);
            if (entry.Retire())
                Counters.OnExpired();
            if (now < entry.ExpiresAt)
            {
                RefreshInBackground(entry, now);
                return new(entry);
            }
        }
        return new(WaitForRefreshAsync(entry, remaining, cancellationToken));
    }

    /// <summary>
    /// After a 401 with <paramref name="used"/>: when the current token is already newer, it is the answer (no new
    /// refresh: the 401 was for an older token); otherwise the token is marked rejected and one shared refresh runs.
    /// </summary>
    internal Task<TokenEntry> AfterRejectionAsync(TokenEntry used, TimeSpan remaining, CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && !ReferenceEquals(current, used) && current.IsValidAt(_time.GetUtcNow()))
            return Task.FromResult(current);
        used.Reject();
        if (used.Retire())
            Counters.OnRejected();
        return WaitForRefreshAsync(used, remaining, cancellationToken);
    }

    internal SalvoAuthenticationException ToException(TokenEndpointException failed, SalvoErrorContext? context)
    {
        TimeSpan? retryAfter;
        lock (_gate)
        {
            var wait = _retryAt - _time.GetUtcNow();
            retryAfter = wait > TimeSpan.Zero ? wait : null;
        }
        return failed.Failure.ToException(_source.Describe, IdentityHash, retryAfter, context);
    }

    private async Task<TokenEntry> WaitForRefreshAsync(TokenEntry? stale, TimeSpan remaining, CancellationToken cancellationToken)
    {
        Task<TokenEntry> refresh;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var current = _current;
            if (current is not null && !ReferenceEquals(current, stale) && current.IsValidAt(now))
                return current; // someone refreshed while this caller looked
            if (_pending is null && _lastFailure is { } failure && _retryAt > now && remaining != Timeout.InfiniteTimeSpan && _retryAt - now >= remaining)
                throw new TokenEndpointException(failure); // the backoff outlasts the call's budget: fail now, not at the deadline
            refresh = (_pending ?? StartRefresh(stale, now)).Task;
            if (remaining != Timeout.InfiniteTimeSpan && _pendingStartsAt - now >= remaining && _lastFailure is { } last)
                throw new TokenEndpointException(last);
        }
        return await refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a refresh ahead of expiry, unless one is running or the last one failed too recently.</summary>
    private void RefreshInBackground(TokenEntry stale, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_pending is null && ReferenceEquals(_current, stale) && now >= _retryAt)
                StartRefresh(stale, now);
        }
    }

    /// <summary>Creates the one refresh everyone waits for; runs outside the lock, after the backoff if the last one failed.</summary>
    private TaskCompletionSource<TokenEntry> StartRefresh(TokenEntry? stale, DateTimeOffset now)
    {
        // The token being replaced is done with, even if no caller saw it become due (it expired while the client was idle).
        if (_current is { } replaced && replaced.Retire())
        {
            if (replaced.Rejected)
                Counters.OnRejected();
            else
                Counters.OnExpired();
        }
        var pending = new TaskCompletionSource<TokenEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending = pending;
        var delay = _retryAt > now ? _retryAt - now : TimeSpan.Zero;
        _pendingStartsAt = now + delay;
        _ = RunRefreshAsync(pending, stale, delay);
        // A background refresh may fail with nobody waiting: observe it, so it is not an unobserved task exception.
        _ = pending.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return pending;
    }

    private async Task RunRefreshAsync(TaskCompletionSource<TokenEntry> pending, TokenEntry? stale, TimeSpan delay)
    {
        await Task.Yield(); // never run the token request on the caller's stack, inside its lock
        using var timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        var requested = false;
        try
        {
            if (delay > TimeSpan.Zero)
                await Task.Delay(delay, _time).ConfigureAwait(false);
            var stored = await ReadStoreAsync().ConfigureAwait(false);
            var now = _time.GetUtcNow();
            TokenEntry entry;
            if (stored is not null && stored.Value != stale?.Token.Value && new TokenEntry(stored, RefreshSkew, now) is { } adopted && now < adopted.DueAt)
            {
                entry = adopted; // another process (or the last run) already has a newer token
                Counters.OnFromStore();
            }
            else
            {
                timeout.CancelAfter(_refreshTimeout);
                Counters.OnTokenRequest();
                requested = true;
                var token = await _source.FetchAsync(stored ?? stale?.Token, now, timeout.Token).ConfigureAwait(false);
                entry = new TokenEntry(token, RefreshSkew, now);
                SalvoAuthMetrics.OnTokenRequest(_source.Kind, succeeded: true);
                await WriteStoreAsync(token).ConfigureAwait(false);
            }
            lock (_gate)
            {
                _current = entry;
                _failuresInARow = 0;
                _retryAt = DateTimeOffset.MinValue;
                _lastFailure = null;
                _pending = null;
            }
            pending.SetResult(entry);
        }
        catch (Exception ex)
        {
            var failure = RefreshFailure.From(ex, timeout.IsCancellationRequested);
            if (requested)
                SalvoAuthMetrics.OnTokenRequest(_source.Kind, succeeded: false);
            lock (_gate)
            {
                _failuresInARow++;
                _retryAt = _time.GetUtcNow() + Backoff(_failuresInARow);
                _lastFailure = failure;
                _pending = null;
            }
            Counters.OnFailure();
            pending.SetException(new TokenEndpointException(failure));
        }
    }
}
