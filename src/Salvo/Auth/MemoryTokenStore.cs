using System.Collections.Concurrent;

namespace Salvo.Auth;

/// <summary>Keeps tokens in this process's memory: the default store, and a shared one for several clients of one credential.</summary>
public sealed class MemoryTokenStore : ISalvoTokenStore
{
    private readonly ConcurrentDictionary<string, SalvoToken> _tokens = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<SalvoToken?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(_tokens.TryGetValue(key, out var token) ? token : null);
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string key, SalvoToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(token);
        _tokens[key] = token;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        _tokens.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }
}
