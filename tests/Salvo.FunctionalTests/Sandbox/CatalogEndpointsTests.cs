using System.Net;
using System.Text.Json;
using Salvo.Sandbox;

namespace Salvo.FunctionalTests.Sandbox;

public sealed class CatalogEndpointsTests
{
    [Fact]
    public async Task Balance_Get_ReturnsAvailableAndVaultWithPrivateCaching()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync("user/balance");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
        response.Headers.NonValidated["Cache-Control"].ToString().ShouldBe("private, max-age=10");
        response.Headers.CacheControl!.Private.ShouldBeTrue();
        response.Headers.CacheControl.MaxAge.ShouldBe(TimeSpan.FromSeconds(10));
        var json = await response.JsonAsync();
        json.GetProperty("available").GetProperty("currency").GetString().ShouldBe("BTC");
        json.GetProperty("available").GetProperty("amount").GetDecimal().ShouldBeGreaterThanOrEqualTo(0m);
        json.GetProperty("vault").GetProperty("currency").GetString().ShouldBe("BTC");
        json.GetProperty("vault").GetProperty("amount").ValueKind.ShouldBe(JsonValueKind.Number);
    }

    [Fact]
    public async Task Games_List_ReturnsAllGamesAcrossFiveCategories()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        var games = (await (await http.GetAsync("casino/games")).JsonAsync()).EnumerateArray().ToList();

        games.Count.ShouldBe(200);
        games[0].GetProperty("id").GetString().ShouldBe("g-001");
        games[^1].GetProperty("id").GetString().ShouldBe("g-200");
        games.Select(g => g.GetProperty("category").GetString()).Distinct().Order()
            .ShouldBe(["crash", "dice", "live", "slots", "table"]);
        games.ShouldAllBe(g => g.GetProperty("name").GetString()!.Length > 0 && g.GetProperty("provider").GetString()!.Length > 0);
        games.ShouldAllBe(g => g.GetProperty("rtp").GetDouble() > 90 && g.GetProperty("rtp").GetDouble() < 100);
        games.Select(g => g.GetProperty("name").GetString()).Distinct().Count().ShouldBe(200);
    }

    [Theory]
    [InlineData("slots")]
    [InlineData("table")]
    [InlineData("live")]
    [InlineData("crash")]
    [InlineData("dice")]
    public async Task Games_CategoryFilter_ReturnsOnlyThatCategory(string category)
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        var games = (await (await http.GetAsync($"casino/games?category={category}")).JsonAsync()).EnumerateArray().ToList();

        games.ShouldNotBeEmpty();
        games.Count.ShouldBeLessThan(200);
        games.ShouldAllBe(g => g.GetProperty("category").GetString() == category);
    }

    [Fact]
    public async Task Games_UnknownCategory_Returns400WithJsonError()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync("casino/games?category=bingo");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("error").GetString().ShouldBe("unknown_category");
    }

    [Fact]
    public async Task Game_ById_ReturnsThatGame()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync("casino/games/g-042");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var game = await response.JsonAsync();
        game.GetProperty("id").GetString().ShouldBe("g-042");
        var fromList = (await (await http.GetAsync("casino/games")).JsonAsync()).EnumerateArray().Single(g => g.GetProperty("id").GetString() == "g-042");
        game.GetProperty("name").GetString().ShouldBe(fromList.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("casino/games/g-999", "Game")]
    [InlineData("sports/events/e-999", "Event")]
    public async Task ById_UnknownId_Returns404WithJsonError(string path, string kind)
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var error = await response.JsonAsync();
        error.GetProperty("error").GetString().ShouldBe("not_found");
        error.GetProperty("message").GetString()!.ShouldStartWith(kind);
    }

    [Fact]
    public async Task Events_List_ReturnsEventsWithOddsAndNoCache()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync("sports/events");

        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
        var events = (await response.JsonAsync()).EnumerateArray().ToList();
        events.Count.ShouldBe(100);
        events[0].GetProperty("id").GetString().ShouldBe("e-001");
        events.Select(e => e.GetProperty("sport").GetString()).Distinct().Count().ShouldBeGreaterThan(1);
        events.ShouldAllBe(e => e.GetProperty("home").GetString() != e.GetProperty("away").GetString());
        events.ShouldAllBe(e => e.GetProperty("startsAt").GetDateTimeOffset().Year == 2026);
        var odds = events[0].GetProperty("odds");
        new[] { "home", "draw", "away" }.ShouldAllBe(k => odds.GetProperty(k).GetDouble() > 1.0);
    }

    [Fact]
    public async Task Event_ById_ReturnsThatEvent()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync("sports/events/e-007");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
        (await response.JsonAsync()).GetProperty("id").GetString().ShouldBe("e-007");
    }

    [Fact]
    public async Task Data_SameSeed_IsIdentical_OtherSeed_Differs()
    {
        await using var first = await SandboxServer.StartAsync(new SandboxOptions { Seed = 7 });
        await using var second = await SandboxServer.StartAsync(new SandboxOptions { Seed = 7 });
        await using var other = await SandboxServer.StartAsync(new SandboxOptions { Seed = 8 });
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        using var c = other.CreateClient();

        var games = await a.GetStringAsync("casino/games");

        (await b.GetStringAsync("casino/games")).ShouldBe(games);
        (await c.GetStringAsync("casino/games")).ShouldNotBe(games);
        (await b.GetStringAsync("sports/events")).ShouldBe(await a.GetStringAsync("sports/events"));
    }

    [Fact]
    public async Task Data_CountsFromOptions_AreServed()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { GameCount = 12, EventCount = 3 });
        using var http = sandbox.CreateClient();

        (await (await http.GetAsync("casino/games")).JsonAsync()).GetArrayLength().ShouldBe(12);
        (await (await http.GetAsync("sports/events")).JsonAsync()).GetArrayLength().ShouldBe(3);
    }
}
