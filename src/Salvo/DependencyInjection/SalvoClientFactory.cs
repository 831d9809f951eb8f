using Microsoft.Extensions.Options;

namespace Salvo.DependencyInjection;

/// <summary>Builds clients from <see cref="IHttpClientFactory"/> clients whose handler chain already holds Salvo's pipeline.</summary>
internal sealed class SalvoClientFactory(
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<SalvoClientOptions> options,
    SalvoStatsRegistry stats) : ISalvoClientFactory
{
    public SalvoClient CreateClient(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new SalvoClient(httpClientFactory.CreateClient(name), options.Get(name), stats.For(name));
    }
}
