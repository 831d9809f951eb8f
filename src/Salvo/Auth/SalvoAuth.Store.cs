namespace Salvo.Auth;

// The store around a refresh, and the backoff between failed ones.
public sealed partial class SalvoAuth
{
    /// <summary>The wait after <paramref name="failures"/> failures in a row: the base, doubled each time, capped.</summary>
    private TimeSpan Backoff(int failures)
    {
        var ticks = _failureBackoff.Ticks * Math.Pow(2, Math.Min(failures - 1, 30));
        return ticks >= _maxFailureBackoff.Ticks ? _maxFailureBackoff : TimeSpan.FromTicks((long)ticks);
    }

    private async ValueTask<SalvoToken?> ReadStoreAsync()
    {
        if (!_source.CanRefresh)
            return null;
        try
        {
            return await _store.GetAsync(IdentityHash).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Counters.OnStoreError();
            return null;
        }
    }

    private async ValueTask WriteStoreAsync(SalvoToken token)
    {
        try
        {
            await _store.SetAsync(IdentityHash, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Counters.OnStoreError(); // the token still serves this process; it just is not kept
        }
    }
}
