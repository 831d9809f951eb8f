using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Salvo.Tests.Support;

namespace Salvo.Tests.DependencyInjection;

public class AddSalvoClientTests
{
    [Fact]
    public async Task AddSalvoClient_KeyedClient_CallsThroughPipeline()
    {
        var stub = StubHandler.Json("""{"id":"g","name":"n"}""");
        var services = new ServiceCollection();
        services.AddSalvoClient("stake", o => o.BaseAddress = new Uri("http://api.test/v2"))
            .ConfigurePrimaryHttpMessageHandler(() => stub);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredKeyedService<SalvoClient>("stake");
        var game = await client.GetJsonAsync("games/1", TestJson.Default.Game);

        game.Id.ShouldBe("g");
        stub.Requests.Single().Uri.ShouldBe(new Uri("http://api.test/v2/games/1"));
        client.Stats.Requests.ShouldBe(1, "the telemetry handler sits in the factory's chain");
        provider.GetRequiredKeyedService<SalvoClient>("stake").ShouldBeSameAs(client, "one long-lived client per name");
    }

    [Fact]
    public async Task AddSalvoClient_FactoryClients_ShareStatsAndTransport()
    {
        var stub = StubHandler.Json("{}");
        var services = new ServiceCollection();
        services.AddSalvoClient("a", o => o.BaseAddress = new Uri("http://api.test/")).ConfigurePrimaryHttpMessageHandler(() => stub);
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<ISalvoClientFactory>();

        await factory.CreateClient("a").GetBytesAsync("1");
        await factory.CreateClient("a").GetBytesAsync("2");

        factory.CreateClient("a").Stats.Requests.ShouldBe(2);
    }

    [Fact]
    public async Task AddSalvoClient_InvalidOptions_FailsOnResolve()
    {
        var services = new ServiceCollection();
        services.AddSalvoClient("bad", o => o.MaxResponseSize = -1);
        await using var provider = services.BuildServiceProvider();

        Should.Throw<OptionsValidationException>(() => provider.GetRequiredKeyedService<SalvoClient>("bad"));
    }

    [Fact]
    public async Task AddSalvoClient_TimeProviderFromContainer_IsUsed()
    {
        var time = new Salvo.Testing.FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSalvoClient("t");
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptionsMonitor<SalvoClientOptions>>().Get("t").TimeProvider.ShouldBeSameAs(time);
    }
}
