using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Salvo;
using Salvo.DependencyInjection;
using Salvo.Pipeline;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers named Salvo clients on top of <see cref="IHttpClientFactory"/>.</summary>
public static class SalvoServiceCollectionExtensions
{
    /// <summary>
    /// Registers a named Salvo client: an <see cref="IHttpClientFactory"/> client whose primary handler is
    /// Salvo's pooled transport and whose chain holds Salvo's pipeline, a keyed singleton
    /// <see cref="SalvoClient"/> (<c>[FromKeyedServices("name")] SalvoClient client</c>) and
    /// <see cref="ISalvoClientFactory"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The client name.</param>
    /// <param name="configure">Configures the options; <see cref="SalvoClientOptions.TimeProvider"/> and
    /// <see cref="SalvoClientOptions.LoggerFactory"/> default to the container's.</param>
    /// <returns>The <see cref="IHttpClientBuilder"/>, to add handlers of your own.</returns>
    /// <remarks>
    /// The handler lifetime is infinite: the transport's pooled connection lifetime already refreshes DNS,
    /// so rotating handlers would only throw warm connections away.
    /// </remarks>
    public static IHttpClientBuilder AddSalvoClient(this IServiceCollection services, string name, Action<SalvoClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SalvoStatsRegistry>();
        services.TryAddSingleton<ISalvoClientFactory, SalvoClientFactory>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalvoClientOptions>>(SalvoClientOptionsValidator.Instance));

        var optionsBuilder = services.AddOptions<SalvoClientOptions>(name);
        if (configure is not null)
            optionsBuilder.Configure(configure);
        optionsBuilder.PostConfigure<IServiceProvider>((options, sp) =>
        {
            if (ReferenceEquals(options.TimeProvider, TimeProvider.System))
                options.TimeProvider = sp.GetRequiredService<TimeProvider>();
            options.LoggerFactory ??= sp.GetService<ILoggerFactory>();
        });

        services.AddKeyedSingleton(name, static (sp, key) => sp.GetRequiredService<ISalvoClientFactory>().CreateClient((string)key!));

        return services.AddHttpClient(name)
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<SalvoClientOptions>>().Get(name);
                return SalvoTransport.CreateHandler(options, options.LoggerFactory?.CreateLogger(typeof(SalvoClient)));
            })
            .ConfigureAdditionalHttpMessageHandlers((handlers, sp) =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<SalvoClientOptions>>().Get(name);
                var stats = sp.GetRequiredService<SalvoStatsRegistry>().For(name);
                foreach (var handler in SalvoPipelineBuilder.CreateDefault(options, stats).CreateHandlers())
                    handlers.Add(handler);
            });
    }
}
