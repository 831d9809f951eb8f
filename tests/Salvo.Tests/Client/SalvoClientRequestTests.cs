using System.Net;
using Salvo.Tests.Support;

namespace Salvo.Tests.Client;

public class SalvoClientRequestTests
{
    [Fact]
    public async Task GetJsonAsync_RelativeUrl_ResolvesAgainstBaseWithoutTrailingSlash()
    {
        var stub = StubHandler.Json("""{"id":"g-1","name":"Dice"}""");
        await using var client = new SalvoClient(stub, new SalvoClientOptions { BaseAddress = new Uri("http://api.test/v1") });

        var game = await client.GetJsonAsync("casino/games/g-1", TestJson.Default.Game);

        game.ShouldBe(new Game("g-1", "Dice"));
        stub.Requests.Single().Uri.ShouldBe(new Uri("http://api.test/v1/casino/games/g-1"));
    }

    [Fact]
    public async Task GetJsonAsync_DefaultsConfigured_AddsHeadersQueryAndUserAgent()
    {
        var stub = StubHandler.Json("""{"id":"g-1","name":"Dice"}""");
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") };
        options.DefaultHeaders["X-Client"] = "tests";
        options.DefaultQuery["v"] = "2";
        await using var client = new SalvoClient(stub, options);

        await client.GetJsonAsync<Game>("games?id=1");

        var seen = stub.Requests.Single();
        seen.Uri.Query.ShouldBe("?id=1&v=2");
        seen.Headers["X-Client"].ShouldBe("tests");
        seen.Headers["User-Agent"].ShouldStartWith("Salvo/");
    }

    [Fact]
    public async Task GetJsonAsync_RequestHeaderAlreadySet_WinsOverDefault()
    {
        var stub = StubHandler.Json("""{"id":"g-1","name":"Dice"}""");
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") };
        options.DefaultHeaders["X-Client"] = "default";
        await using var client = new SalvoClient(stub, options);
        using var request = new HttpRequestMessage(HttpMethod.Get, "games/1");
        request.Headers.Add("X-Client", "mine");

        await client.SendJsonAsync(request, TestJson.Default.Game);

        stub.Requests.Single().Headers["X-Client"].ShouldBe("mine");
    }

    [Fact]
    public async Task PostJsonAsync_Body_SentWithLengthAndJsonContentType()
    {
        var stub = StubHandler.Json("""{"id":"b-1","amount":2.5}""");
        await using var client = new SalvoClient(stub, new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") });

        var receipt = await client.PostJsonAsync("bets", new NewBet("g-1", 2.5m), TestJson.Default.NewBet, TestJson.Default.BetReceipt);

        receipt.ShouldBe(new BetReceipt("b-1", 2.5m));
        var seen = stub.Requests.Single();
        seen.Method.ShouldBe(HttpMethod.Post);
        seen.Body.ShouldBe("""{"gameId":"g-1","amount":2.5}""");
        seen.ContentType.ShouldBe("application/json; charset=utf-8");
        seen.ContentLength.ShouldBe(seen.Body!.Length);
    }

    [Fact]
    public async Task GetJsonAsync_ReflectionOverload_UsesWebDefaults()
    {
        var stub = StubHandler.Json("""{"ID":"g-1","Name":"Dice"}""");
        await using var client = new SalvoClient(stub, new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") });

        (await client.GetJsonAsync<Game>("games/1")).ShouldBe(new Game("g-1", "Dice"));
    }

    [Theory]
    [InlineData("games/1", null, "is relative and the client has no BaseAddress")]
    [InlineData("ftp://files.test/x", "http://api.test/", "is not an http or https URL")]
    [InlineData("http://exa mple.test:99999/", "http://api.test/", "is not a valid URL")]
    public async Task GetJsonAsync_InvalidUrl_ThrowsInvalidRequest(string url, string? baseAddress, string problem)
    {
        var stub = StubHandler.Json("{}");
        await using var client = new SalvoClient(stub, new SalvoClientOptions { BaseAddress = baseAddress is null ? null : new Uri(baseAddress) });

        var ex = await Should.ThrowAsync<SalvoInvalidRequestException>(() => client.GetJsonAsync(url, TestJson.Default.Game));

        ex.Message.ShouldContain(problem);
        ex.IsTransient.ShouldBeFalse();
        stub.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task GetJsonAsync_InvalidUrlWithSecrets_MessageIsRedacted()
    {
        await using var client = new SalvoClient(StubHandler.Json("{}"));

        var ex = await Should.ThrowAsync<SalvoInvalidRequestException>(() => client.GetJsonAsync("relative/path?api_key=s3cret", TestJson.Default.Game));

        ex.Message.ShouldNotContain("s3cret");
        ex.Message.ShouldContain("api_key=***");
    }

    [Fact]
    public async Task DeleteAsync_SuccessStatus_Completes()
    {
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.NoContent));
        await using var client = new SalvoClient(stub, new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") });

        await client.DeleteAsync("bets/1");

        stub.Requests.Single().Method.ShouldBe(HttpMethod.Delete);
    }

    [Fact]
    public async Task GetStringAsync_Latin1Charset_DecodedWithDeclaredCharset()
    {
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent([0x63, 0x61, 0x66, 0xE9]) { Headers = { { "Content-Type", "text/plain; charset=iso-8859-1" } } },
        });
        await using var client = new SalvoClient(stub, new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") });

        (await client.GetStringAsync("menu")).ShouldBe("café");
    }

    [Fact]
    public async Task DisposedClient_Call_ThrowsObjectDisposed()
    {
        var client = new SalvoClient(StubHandler.Json("{}"), new SalvoClientOptions { BaseAddress = new Uri("http://api.test/") });
        await client.DisposeAsync();

        await Should.ThrowAsync<ObjectDisposedException>(() => client.GetBytesAsync("x"));
    }
}
