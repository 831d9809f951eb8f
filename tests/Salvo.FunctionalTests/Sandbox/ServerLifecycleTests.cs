using System.Net;
using Salvo.Sandbox;

namespace Salvo.FunctionalTests.Sandbox;

public sealed class ServerLifecycleTests
{
    [Fact]
    public async Task StartAsync_Defaults_ListensOnLoopbackEphemeralPort()
    {
        await using var sandbox = await SandboxServer.StartAsync();

        sandbox.BaseAddress.Scheme.ShouldBe("http");
        sandbox.BaseAddress.Host.ShouldBe("127.0.0.1");
        sandbox.BaseAddress.Port.ShouldBeGreaterThan(0);
        sandbox.BaseAddress.AbsolutePath.ShouldBe("/");
        sandbox.Options.ShouldNotBeNull();
    }

    [Fact]
    public async Task StartAsync_TwoServers_GetDifferentPorts()
    {
        await using var first = await SandboxServer.StartAsync();
        await using var second = await SandboxServer.StartAsync();

        first.BaseAddress.Port.ShouldNotBe(second.BaseAddress.Port);
    }

    [Fact]
    public async Task Options_InstancePassedIn_IsTheLiveInstance()
    {
        var options = new SandboxOptions();
        await using var sandbox = await SandboxServer.StartAsync(options);

        sandbox.Options.ShouldBeSameAs(options);
    }

    [Theory]
    [InlineData(nameof(SandboxOptions.FaultRate))]
    [InlineData(nameof(SandboxOptions.ResetRate))]
    [InlineData(nameof(SandboxOptions.HangRate))]
    [InlineData(nameof(SandboxOptions.Capacity))]
    [InlineData(nameof(SandboxOptions.Port))]
    [InlineData(nameof(SandboxOptions.TokenLifetime))]
    [InlineData(nameof(SandboxOptions.GameCount))]
    public async Task StartAsync_OutOfRangeOption_ThrowsNamingIt(string property)
    {
        var options = new SandboxOptions();
        switch (property)
        {
            case nameof(SandboxOptions.FaultRate): options.FaultRate = 1.5; break;
            case nameof(SandboxOptions.ResetRate): options.ResetRate = -0.1; break;
            case nameof(SandboxOptions.HangRate): options.HangRate = double.NaN; break;
            case nameof(SandboxOptions.Capacity): options.Capacity = 0; break;
            case nameof(SandboxOptions.Port): options.Port = 70_000; break;
            case nameof(SandboxOptions.TokenLifetime): options.TokenLifetime = TimeSpan.Zero; break;
            default: options.GameCount = -1; break;
        }

        var error = await Should.ThrowAsync<ArgumentException>(() => SandboxServer.StartAsync(options));

        error.ParamName.ShouldBe(property);
    }

    [Fact]
    public async Task DisposeAsync_StopsListening_AndIsIdempotent()
    {
        var sandbox = await SandboxServer.StartAsync();
        using var http = new HttpClient();
        (await http.GetAsync(new Uri(sandbox.BaseAddress, "echo"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        await sandbox.DisposeAsync();
        await sandbox.DisposeAsync();

        using var fresh = new HttpClient();
        await Should.ThrowAsync<HttpRequestException>(() => fresh.GetAsync(new Uri(sandbox.BaseAddress, "echo")));
    }
}
