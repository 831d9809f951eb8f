using Salvo.Tests.Support;

namespace Salvo.Tests.Client;

public class BringYourOwnTransportTests
{
    [Fact]
    public async Task Dispose_UserHandler_IsNotDisposed()
    {
        var stub = StubHandler.Json("""{"id":"g","name":"n"}""");
        var client = new SalvoClient(stub, new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") });
        await client.GetJsonAsync("g", TestJson.Default.Game);

        await client.DisposeAsync();

        stub.Disposed.ShouldBeFalse();
    }

    [Fact]
    public async Task Dispose_UserHttpClient_IsNotDisposedAndStillWorks()
    {
        var stub = StubHandler.Json("""{"id":"g","name":"n"}""");
        using var http = new HttpClient(stub) { BaseAddress = new Uri("http://user.test/api/") };
        http.DefaultRequestHeaders.Add("X-Gateway-Key", "from-user-session");
        var client = new SalvoClient(http);

        await client.GetJsonAsync("games/1", TestJson.Default.Game);
        await client.DisposeAsync();
        using var after = await http.GetAsync("still/alive");

        stub.Disposed.ShouldBeFalse();
        stub.Requests[0].Uri.ShouldBe(new Uri("http://user.test/api/games/1"), "the user's BaseAddress is used when the options have none");
        stub.Requests[0].Headers["X-Gateway-Key"].ShouldBe("from-user-session", "the user's session settings apply");
        stub.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task UserHttpClient_SalvoPipelineStillRuns()
    {
        var stub = StubHandler.Json("""{"id":"g","name":"n"}""");
        using var http = new HttpClient(stub);
        await using var client = new SalvoClient(http, new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") });

        await client.GetJsonAsync("games/1", TestJson.Default.Game);

        client.Stats.Requests.ShouldBe(1);
        client.Stats.Status2xx.ShouldBe(1);
    }
}
