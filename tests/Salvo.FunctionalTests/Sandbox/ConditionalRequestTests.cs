using System.Net;
using System.Net.Http.Headers;
using Salvo.Sandbox;

namespace Salvo.FunctionalTests.Sandbox;

public sealed class ConditionalRequestTests
{
    [Theory]
    [InlineData("casino/games")]
    [InlineData("casino/games?category=live")]
    [InlineData("casino/games/g-001")]
    public async Task CacheableGet_ReturnsStrongStableETagAndFreshness(string path)
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var first = await http.GetAsync(path);
        using var second = await http.GetAsync(path);

        first.Headers.ETag.ShouldNotBeNull();
        first.Headers.ETag!.IsWeak.ShouldBeFalse();
        second.Headers.ETag!.Tag.ShouldBe(first.Headers.ETag.Tag);
        first.Headers.NonValidated["Cache-Control"].ToString().ShouldBe("public, max-age=300");
        first.Content.Headers.LastModified.ShouldNotBeNull();
    }

    [Fact]
    public async Task ETag_DiffersBetweenResources_AndSurvivesRestartWithSameSeed()
    {
        string listTag, gameTag;
        await using (var sandbox = await SandboxServer.StartAsync())
        {
            using var http = sandbox.CreateClient();
            listTag = (await http.GetAsync("casino/games")).Headers.ETag!.Tag;
            gameTag = (await http.GetAsync("casino/games/g-001")).Headers.ETag!.Tag;
        }
        await using var restarted = await SandboxServer.StartAsync();
        using var again = restarted.CreateClient();

        listTag.ShouldNotBe(gameTag);
        (await again.GetAsync("casino/games")).Headers.ETag!.Tag.ShouldBe(listTag);
    }

    [Fact]
    public async Task IfNoneMatch_MatchingETag_Returns304WithoutBodyAndCountsIt()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();
        using var first = await http.GetAsync("casino/games/g-003");
        var etag = first.Headers.ETag!;

        using var request = new HttpRequestMessage(HttpMethod.Get, "casino/games/g-003");
        request.Headers.IfNoneMatch.Add(etag);
        using var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        response.Headers.ETag!.Tag.ShouldBe(etag.Tag);
        response.Headers.CacheControl!.MaxAge.ShouldBe(TimeSpan.FromSeconds(300));
        sandbox.GetStats().NotModified304.ShouldBe(1);
    }

    [Fact]
    public async Task IfNoneMatch_WeakFormOfSameTag_Returns304()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();
        var etag = (await http.GetAsync("casino/games")).Headers.ETag!;

        using var request = new HttpRequestMessage(HttpMethod.Get, "casino/games");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"other\""));
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag, isWeak: true));
        using var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task IfNoneMatch_OtherTag_Returns200WithBody()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, "casino/games/g-003");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"stale\""));
        using var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("g-003");
        sandbox.GetStats().NotModified304.ShouldBe(0);
    }

    [Fact]
    public async Task IfModifiedSince_NotBeforeLastModified_Returns304()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();
        var lastModified = (await http.GetAsync("casino/games")).Content.Headers.LastModified!.Value;

        using var request = new HttpRequestMessage(HttpMethod.Get, "casino/games");
        request.Headers.IfModifiedSince = lastModified;
        using var response = await http.SendAsync(request);
        using var older = new HttpRequestMessage(HttpMethod.Get, "casino/games");
        older.Headers.IfModifiedSince = lastModified.AddDays(-1);
        using var changed = await http.SendAsync(older);

        response.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        changed.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
