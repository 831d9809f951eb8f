using Microsoft.Extensions.Logging;
using Salvo.Resilience;

namespace Salvo.Realtime;

/// <summary>
/// The reconnect schedule of one stream: counts the failed attempts in a row, draws each jittered wait, waits it on
/// the injected clock and reports every state change. A successful connection resets it.
/// </summary>
internal sealed partial class Reconnector(
    ReconnectOptions options, TimeProvider timeProvider, string url, Action<ConnectionStateChange>? notify, ILogger? logger = null, System.Diagnostics.TagList tags = default)
{
    private readonly System.Diagnostics.TagList _tags = tags;
    private int _failures;
    private TimeSpan _previous;

    /// <summary>How many connections succeeded so far.</summary>
    public int Connections { get; private set; }

    /// <summary>Whether a connection ever succeeded (the next attempt is then a reconnect).</summary>
    public bool EverConnected => Connections > 0;

    public void Connecting() => notify?.Invoke(new ConnectionStateChange(EverConnected ? ConnectionState.Reconnecting : ConnectionState.Connecting, url));

    public void Connected()
    {
        _failures = 0;
        _previous = TimeSpan.Zero;
        Connections++;
        if (_tags.Count > 0)
            RealtimeInstruments.Connected(_tags);
        if (logger is not null)
            Log.Connected(logger, url, Connections);
        notify?.Invoke(new ConnectionStateChange(ConnectionState.Connected, url));
    }

    public void Closed(Exception? error = null) => notify?.Invoke(new ConnectionStateChange(ConnectionState.Closed, url, Error: error));

    /// <summary>
    /// Waits before the next attempt, or returns <see langword="false"/> when reconnecting is off or the attempts in a
    /// row are used up (the caller then ends the stream with <paramref name="error"/>).
    /// </summary>
    /// <param name="error">What closed or failed the connection.</param>
    /// <param name="serverDelay">A wait the server asked for (SSE <c>retry:</c>), used as the backoff's base.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    public async ValueTask<bool> WaitAsync(Exception? error, TimeSpan? serverDelay, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
            return false;
        _failures++;
        if (options.MaxAttempts is { } max && _failures > max)
        {
            if (logger is not null)
                Log.GaveUp(logger, url, max, error?.Message ?? "closed");
            return false;
        }
        var delay = NextDelay(serverDelay);
        if (_tags.Count > 0)
            RealtimeInstruments.Reconnecting(_tags);
        if (logger is not null)
            Log.Reconnecting(logger, url, _failures, delay.TotalMilliseconds, error?.Message ?? "closed");
        notify?.Invoke(new ConnectionStateChange(ConnectionState.Reconnecting, url, _failures, delay, error));
        await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The next wait: decorrelated jitter from the base (or the server's delay) up to three times the previous wait.</summary>
    public TimeSpan NextDelay(TimeSpan? serverDelay = null)
    {
        var baseDelay = serverDelay is { } s && s > TimeSpan.Zero ? s : options.BaseDelay;
        var maxDelay = options.MaxDelay < baseDelay ? baseDelay : options.MaxDelay;
        var previous = _previous < baseDelay ? baseDelay : _previous;
        _previous = Backoff.DecorrelatedJitter(previous, baseDelay, maxDelay, options.Randomizer());
        return _previous;
    }
}
