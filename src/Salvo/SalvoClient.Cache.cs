using Salvo.Caching;

namespace Salvo;

public sealed partial class SalvoClient
{
    /// <summary>
    /// The response cache (for invalidation and its <see cref="ResponseCache.Counters"/>), or <see langword="null"/> when
    /// <see cref="SalvoClientOptions.Cache"/> is off.
    /// </summary>
    public ResponseCache? Cache => _options.Cache.Enabled ? _options.Cache.GetOrCreateCache(_options.TimeProvider, _options.LoggerFactory, _options.BaseAddress) : null;
}
