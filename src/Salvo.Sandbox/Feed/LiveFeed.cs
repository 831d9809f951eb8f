using System.Threading.Channels;
using Salvo.Sandbox.Data;

namespace Salvo.Sandbox.Feed;

/// <summary>
/// The Sandbox's live odds: from the first feed request on, every <see cref="SandboxOptions.FeedInterval"/> one event's odds move a little. Updates are
/// numbered, kept in a bounded buffer (for SSE replay after <c>Last-Event-ID</c> and for polling), and pushed to every
/// connected stream.
/// </summary>
/// <remarks>
/// Publishing, buffering and subscribing share one lock, so a subscriber that asks for the buffered updates after some id
/// and then receives live ones sees each update exactly once, with no gap the buffer could have filled.
/// </remarks>
internal sealed class LiveFeed : IDisposable
{
    /// <summary>How many recent updates are kept for replay and polling.</summary>
    public const int BufferSize = 4096;

    /// <summary>How many updates a slow stream may fall behind before the server drops it (it resumes from the buffer).</summary>
    public const int SubscriberBuffer = 1024;

    private readonly Lock _gate = new();
    private readonly PriceUpdate?[] _buffer = new PriceUpdate?[BufferSize];
    private readonly HashSet<Channel<PriceUpdate>> _subscribers = [];
    private readonly IReadOnlyList<SportEvent> _events;
    private readonly double[][] _odds;
    private readonly Random _random;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private ITimer? _timer; // created by the first feed request: an idle server (or a test's fake clock) has no feed timer
    private CancellationTokenSource _drop = new();
    private long _seq;
    private long _connections;
    private long _polls;

    public LiveFeed(IReadOnlyList<SportEvent> events, TimeSpan interval, int? seed, TimeProvider time)
    {
        _events = events.Count > 0 ? events : [new SportEvent("e-001", "soccer", "Home", "Away", DateTimeOffset.UnixEpoch, new Odds(2.5, 3.2, 2.8))];
        _odds = [.. _events.Select(e => new[] { e.Odds.Home, e.Odds.Draw, e.Odds.Away })];
        _random = seed is { } s ? new Random(s) : new Random();
        _time = time;
        _interval = interval;
    }

    /// <summary>Starts publishing, once; every feed endpoint calls it.</summary>
    public void EnsureStarted()
    {
        if (Volatile.Read(ref _timer) is not null)
            return;
        lock (_gate)
            _timer ??= _time.CreateTimer(static state => ((LiveFeed)state!).Publish(), this, _interval, _interval);
    }

    /// <summary>Cancelled (and replaced) by <see cref="DropConnections"/>: every open stream watches it.</summary>
    public CancellationToken DropToken
    {
        get { lock (_gate) return _drop.Token; }
    }

    public long LastSeq
    {
        get { lock (_gate) return _seq; }
    }

    public FeedCounters Counters
    {
        get { lock (_gate) return new FeedCounters(_seq, _connections, _polls, _subscribers.Count); }
    }

    /// <summary>Publishes one update now (the timer calls this; tests may too).</summary>
    public PriceUpdate Publish()
    {
        lock (_gate)
        {
            var index = _random.Next(_events.Count);
            var odds = _odds[index];
            for (var i = 0; i < odds.Length; i++)
                odds[i] = Math.Round(Math.Clamp(odds[i] * (1 + ((_random.NextDouble() - 0.5) * 0.04)), 1.01, 50), 3);
            var publishedAt = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalMilliseconds;
            var update = new PriceUpdate(++_seq, _events[index].Id, odds[0], odds[1], odds[2], publishedAt);
            _buffer[update.Seq % BufferSize] = update;
            foreach (var subscriber in _subscribers)
            {
                // A subscriber this far behind is cut off; its client reconnects and catches up from the buffer.
                if (!subscriber.Writer.TryWrite(update))
                    subscriber.Writer.TryComplete();
            }
            return update;
        }
    }

    /// <summary>Starts a live subscription; with <paramref name="after"/>, the buffered updates after it come first.</summary>
    public (ChannelReader<PriceUpdate> Reader, IDisposable Subscription) Subscribe(long? after)
    {
        EnsureStarted();
        var channel = Channel.CreateBounded<PriceUpdate>(new BoundedChannelOptions(SubscriberBuffer + BufferSize) { SingleReader = true, SingleWriter = true });
        lock (_gate)
        {
            if (after is { } last)
            {
                foreach (var update in BufferedAfter(last))
                    channel.Writer.TryWrite(update);
            }
            _subscribers.Add(channel);
            _connections++;
        }
        return (channel.Reader, new Unsubscriber(this, channel));
    }

    /// <summary>The updates after <paramref name="after"/> still in the buffer (all of them for a negative value), oldest first.</summary>
    public FeedPage Poll(long? after)
    {
        EnsureStarted();
        lock (_gate)
        {
            _polls++;
            var updates = after is { } last ? BufferedAfter(last) : _seq > 0 ? [_buffer[_seq % BufferSize]!] : [];
            return new FeedPage(_seq, updates);
        }
    }

    /// <summary>Ends every open stream at once, as a network failure would; clients reconnect.</summary>
    public void DropConnections()
    {
        CancellationTokenSource old;
        lock (_gate)
        {
            old = _drop;
            _drop = new CancellationTokenSource();
        }
        old.Cancel();
        old.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            foreach (var subscriber in _subscribers)
                subscriber.Writer.TryComplete();
            _subscribers.Clear();
            _drop.Dispose();
        }
    }

    private List<PriceUpdate> BufferedAfter(long last)
    {
        var from = Math.Max(Math.Max(last, 0) + 1, _seq - BufferSize + 1);
        var updates = new List<PriceUpdate>((int)Math.Max(0, _seq - from + 1));
        for (var seq = from; seq <= _seq; seq++)
            updates.Add(_buffer[seq % BufferSize]!);
        return updates;
    }

    private sealed class Unsubscriber(LiveFeed feed, Channel<PriceUpdate> channel) : IDisposable
    {
        public void Dispose()
        {
            lock (feed._gate)
                feed._subscribers.Remove(channel);
        }
    }
}
