using System.Collections.Concurrent;

namespace Salvo.Sandbox.RateLimiting;

/// <summary>
/// The server side of <see cref="SandboxOptions.RateLimits"/>: one <see cref="RateLimitPartition"/> per caller key.
/// When the option text changes while running, every caller starts over with the new windows.
/// </summary>
internal sealed class SandboxRateLimiter
{
    // Callers whose windows are all closed are forgotten beyond this many, so random keys cannot grow memory forever.
    private const int PruneThreshold = 10_000;

    private readonly Lock _gate = new();
    private State? _state;

    /// <summary>Decides one request, or returns <see langword="null"/> when <paramref name="spec"/> has no windows.</summary>
    public RateLimitDecision? TryAcquire(string? spec, string key, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(spec))
            return null;
        var state = GetState(spec);
        if (state.Limits.Count == 0)
            return null;
        if (state.Partitions.Count > PruneThreshold)
            Prune(state, now);
        var partition = state.Partitions.GetOrAdd(key, static (_, limits) => new RateLimitPartition(limits), state.Limits);
        return partition.TryAcquire(now);
    }

    private State GetState(string spec)
    {
        var state = Volatile.Read(ref _state);
        if (state is not null && string.Equals(state.Spec, spec, StringComparison.Ordinal))
            return state;
        lock (_gate)
        {
            if (_state is null || !string.Equals(_state.Spec, spec, StringComparison.Ordinal))
                Volatile.Write(ref _state, new State(spec, SandboxRateLimit.ParseMany(spec)));
            return _state!;
        }
    }

    private static void Prune(State state, DateTimeOffset now)
    {
        foreach (var (key, partition) in state.Partitions)
        {
            if (partition.IsIdle(now))
                state.Partitions.TryRemove(key, out _);
        }
    }

    private sealed record State(string Spec, IReadOnlyList<SandboxRateLimit> Limits)
    {
        public ConcurrentDictionary<string, RateLimitPartition> Partitions { get; } = new(StringComparer.Ordinal);
    }
}
