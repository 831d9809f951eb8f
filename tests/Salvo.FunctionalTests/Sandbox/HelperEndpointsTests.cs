using System.Net;
using System.Text;
using System.Text.Json;
using Salvo.Sandbox;

namespace Salvo.FunctionalTests.Sandbox;

public sealed class HelperEndpointsTests
{
    [Fact]
    public async Task Echo_Get_ReturnsMethodPathQueryAndHeadersIncludingAuthorization()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "echo?a=1&b=two");
        request.Headers.Authorization = new("Bearer", "abc");
        request.Headers.Add("X-Custom", "value");

        using var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var echo = await response.JsonAsync();
        echo.GetProperty("method").GetString().ShouldBe("GET");
        echo.GetProperty("path").GetString().ShouldBe("/echo");
        echo.GetProperty("query").GetString().ShouldBe("?a=1&b=two");
        echo.GetProperty("protocol").GetString().ShouldBe("HTTP/1.1");
        echo.GetProperty("connectionId").GetString().ShouldNotBeNullOrEmpty();
        echo.GetProperty("headers").GetProperty("Authorization").GetString().ShouldBe("Bearer abc");
        echo.GetProperty("headers").GetProperty("X-Custom").GetString().ShouldBe("value");
        echo.GetProperty("body").GetString().ShouldBe("");
    }

    [Fact]
    public async Task Echo_Post_ReturnsBodyAsText()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.PostAsync("echo", new StringContent("{\"x\":1}", Encoding.UTF8, "application/json"));

        var echo = await response.JsonAsync();
        echo.GetProperty("method").GetString().ShouldBe("POST");
        echo.GetProperty("body").GetString().ShouldBe("{\"x\":1}");
        echo.GetProperty("headers").GetProperty("Content-Type").GetString().ShouldBe("application/json; charset=utf-8");
        sandbox.GetStats().Route("POST /echo").ShouldBe(1);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(418)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Status_Code_RespondsWithThatStatusAndJson(int code)
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync($"status/{code}");

        ((int)response.StatusCode).ShouldBe(code);
        (await response.JsonAsync()).GetProperty("status").GetInt32().ShouldBe(code);
        response.Headers.RetryAfter.ShouldBeNull();
    }

    [Fact]
    public async Task Status_RetryAfter_AddsHeaderInSeconds()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync("status/429?retry_after=7");

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(7));
        sandbox.GetStats().RateLimited429.ShouldBe(0, "only the rate limiter's 429s are counted");
    }

    [Fact]
    public async Task Status_204_HasNoBody()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var empty = await http.GetAsync("status/204");

        empty.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await empty.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();
        sandbox.GetStats().Route("GET /status/{code}").ShouldBe(1);
    }

    [Theory]
    [InlineData("status/99")]
    [InlineData("status/600")]
    [InlineData("status/abc")]
    [InlineData("bytes/-1")]
    [InlineData("json/large/x")]
    [InlineData("redirect/0")]
    public async Task NumericHelpers_OutOfRangeOrNotANumber_Return400(string path)
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient(new SocketsHttpHandler { AllowAutoRedirect = false });

        using var response = await http.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("error").GetString()!.ShouldStartWith("invalid_");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(200_000)]
    public async Task Bytes_N_ReturnsExactlyNOctets(int n)
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync($"bytes/{n}");

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/octet-stream");
        response.Content.Headers.ContentLength.ShouldBe(n);
        (await response.Content.ReadAsByteArrayAsync()).Length.ShouldBe(n);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(100_000)]
    public async Task LargeJson_N_IsValidJsonArrayOfAboutNBytes(int n)
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        var bytes = await http.GetByteArrayAsync($"json/large/{n}");

        bytes.Length.ShouldBeInRange(n, n + 100);
        using var document = JsonDocument.Parse(bytes);
        document.RootElement.ValueKind.ShouldBe(JsonValueKind.Array);
        document.RootElement.GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task MalformedJson_DeclaresJsonButDoesNotParse()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync("malformed-json");
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        body.ShouldBe("{\"id\": 1, \"name\": ");
        Should.Throw<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task Html_ReturnsHtmlPageWith200()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync("html");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync()).ShouldStartWith("<!DOCTYPE html>");
    }

    [Fact]
    public async Task Truncated_BodyShorterThanContentLength_ClientThrows()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        await Should.ThrowAsync<HttpRequestException>(() => http.GetAsync("truncated"));

        sandbox.GetStats().ConnectionResets.ShouldBe(1);
    }

    [Fact]
    public async Task Truncated_ReadAsStream_DeliversTenBytesThenFails()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync("truncated", HttpCompletionOption.ResponseHeadersRead);
        response.Content.Headers.ContentLength.ShouldBe(1000);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1000];
        var received = 0;

        var failure = await Should.ThrowAsync<Exception>(async () =>
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(received))) > 0)
                received += read;
        });

        received.ShouldBe(10);
        failure.ShouldBeAssignableTo<IOException>();
    }

    [Fact]
    public async Task Hang_PendsUntilClientCancels()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();
        using var cancel = new CancellationTokenSource();

        var pending = http.GetAsync("hang", cancel.Token);
        await Eventually.UntilAsync(() => sandbox.GetStats().Hangs == 1, "the request reaches /hang");
        pending.IsCompleted.ShouldBeFalse();
        await cancel.CancelAsync();

        await Should.ThrowAsync<TaskCanceledException>(pending);
        await Eventually.UntilAsync(() => sandbox.GetStats().InFlight == 0, "the server notices the client left");
    }

    [Fact]
    public async Task UnknownPath_Returns404Json_CountedAsUnmatched()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.GetAsync("no/such/thing");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.JsonAsync()).GetProperty("error").GetString().ShouldBe("not_found");
        sandbox.GetStats().Route("GET (unmatched)").ShouldBe(1);
    }

    [Fact]
    public async Task WrongMethod_OnKnownPath_Returns405()
    {
        await using var sandbox = await SandboxServer.StartAsync();
        using var http = sandbox.CreateClient();

        using var response = await http.PostAsync("user/balance", new StringContent(""));

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }
}
