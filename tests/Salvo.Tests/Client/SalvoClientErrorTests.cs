using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Salvo.Testing;
using Salvo.Tests.Support;

namespace Salvo.Tests.Client;

public class SalvoClientErrorTests
{
    // One attempt: these tests pin down what a single failed attempt becomes; retrying it is ClientRetryTests' subject.
    private static SalvoClient Client(StubHandler stub, TimeProvider? time = null)
    {
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/"), TimeProvider = time ?? TimeProvider.System };
        options.Retry.Enabled = false;
        return new SalvoClient(stub, options);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, typeof(SalvoUnauthorizedException), false)]
    [InlineData(HttpStatusCode.Forbidden, typeof(SalvoForbiddenException), false)]
    [InlineData(HttpStatusCode.NotFound, typeof(SalvoNotFoundException), false)]
    [InlineData(HttpStatusCode.Conflict, typeof(SalvoConflictException), false)]
    [InlineData(HttpStatusCode.TooManyRequests, typeof(SalvoTooManyRequestsException), true)]
    [InlineData(HttpStatusCode.BadRequest, typeof(SalvoHttpException), false)]
    [InlineData(HttpStatusCode.RequestTimeout, typeof(SalvoHttpException), true)]
    [InlineData(HttpStatusCode.InternalServerError, typeof(SalvoHttpException), true)]
    [InlineData(HttpStatusCode.BadGateway, typeof(SalvoHttpException), true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, typeof(SalvoHttpException), true)]
    [InlineData(HttpStatusCode.GatewayTimeout, typeof(SalvoHttpException), true)]
    [InlineData(HttpStatusCode.NotImplemented, typeof(SalvoHttpException), false)]
    public async Task GetJsonAsync_ErrorStatus_ThrowsDistinguishableTypedError(HttpStatusCode status, Type expected, bool transient)
    {
        await using var client = Client(StubHandler.Json("""{"error":"nope"}""", status));

        var ex = await Should.ThrowAsync<SalvoHttpException>(() => client.GetJsonAsync("games/1", TestJson.Default.Game));

        ex.GetType().ShouldBe(expected);
        ex.StatusCode.ShouldBe(status);
        ex.IsTransient.ShouldBe(transient);
        ex.Method.ShouldBe("GET");
        ex.Url.ShouldBe("http://api.test/games/1");
        ex.Attempts.ShouldBe(1);
        ex.BodyPreview.ShouldBe("""{"error":"nope"}""");
        ex.Message.ShouldContain($"{(int)status}");
    }

    [Fact]
    public async Task GetJsonAsync_429WithRetryAfterSeconds_CarriesRetryAfter()
    {
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)) } });
        await using var client = Client(stub);

        var ex = await Should.ThrowAsync<SalvoTooManyRequestsException>(() => client.GetJsonAsync("games/1", TestJson.Default.Game));

        ex.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
        ex.Message.ShouldContain("wait 7 s");
    }

    [Fact]
    public async Task GetJsonAsync_RetryAfterHttpDate_IsDelayFromClock()
    {
        var time = new FakeTimeProvider();
        var at = time.GetUtcNow().AddSeconds(30);
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Headers = { RetryAfter = new RetryConditionHeaderValue(at) } });
        await using var client = Client(stub, time);

        var ex = await Should.ThrowAsync<SalvoHttpException>(() => client.GetJsonAsync("games/1", TestJson.Default.Game));

        ex.RetryAfter.ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task GetJsonAsync_RetryAfterDateInPast_IsZero()
    {
        var time = new FakeTimeProvider();
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new RetryConditionHeaderValue(time.GetUtcNow().AddMinutes(-5)) } });
        await using var client = Client(stub, time);

        var ex = await Should.ThrowAsync<SalvoTooManyRequestsException>(() => client.GetJsonAsync("games/1", TestJson.Default.Game));

        ex.RetryAfter.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task GetJsonAsync_LargeErrorBody_PreviewIsBounded()
    {
        var big = new string('x', 100_000);
        await using var client = Client(new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent(big) }));

        var ex = await Should.ThrowAsync<SalvoHttpException>(() => client.GetJsonAsync("games/1", TestJson.Default.Game));

        ex.BodyPreview!.Length.ShouldBe(SalvoResponseInfo.MaxPreviewBytes);
    }

    [Fact]
    public async Task GetJsonAsync_SecretsInUrl_NeverInErrorMessageOrUrl()
    {
        await using var client = new SalvoClient(StubHandler.Json("{}", HttpStatusCode.NotFound));

        var ex = await Should.ThrowAsync<SalvoNotFoundException>(() =>
            client.GetJsonAsync("https://user:hunter2@api.test/games?api_key=k-123&token=t-456&page=2", TestJson.Default.Game));

        ex.Message.ShouldNotContain("hunter2");
        ex.Message.ShouldNotContain("k-123");
        ex.Message.ShouldNotContain("t-456");
        ex.Url.ShouldBe("https://api.test/games?api_key=***&token=***&page=2");
    }

    [Fact]
    public async Task GetJsonAsync_MalformedJson_ThrowsDecodingWithPreview()
    {
        await using var client = Client(StubHandler.Json("""{"id": 1, "name": """));

        var ex = await Should.ThrowAsync<SalvoDecodingException>(() => client.GetJsonAsync("games/1", TestJson.Default.Game));

        ex.TargetType.ShouldBe(typeof(Game));
        ex.BodyPreview.ShouldBe("""{"id": 1, "name": """);
        ex.InnerException.ShouldBeOfType<System.Text.Json.JsonException>(customMessage: "the decoder's error stays reachable");
        ex.IsTransient.ShouldBeFalse();
    }

    [Fact]
    public async Task GetJsonAsync_HtmlContentType_ThrowsDecodingNamingTheType()
    {
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>login</html>", Encoding.UTF8, "text/html") });
        await using var client = Client(stub);

        var ex = await Should.ThrowAsync<SalvoDecodingException>(() => client.GetJsonAsync("games/1", TestJson.Default.Game));

        ex.ContentType.ShouldBe("text/html");
        ex.Message.ShouldContain("text/html");
        ex.BodyPreview.ShouldBe("<html>login</html>");
    }

    [Fact]
    public async Task GetJsonAsync_EmptyBody_ThrowsDecoding()
    {
        await using var client = Client(new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) }));

        var ex = await Should.ThrowAsync<SalvoDecodingException>(() => client.GetJsonAsync("games/1", TestJson.Default.Game));

        ex.Message.ShouldContain("empty body");
    }

    [Fact]
    public async Task GetJsonAsync_TransportFails_ThrowsConnectionError()
    {
        var stub = new StubHandler((_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (api.test:80)"));
        await using var client = Client(stub);

        var ex = await Should.ThrowAsync<SalvoConnectionException>(() => client.GetJsonAsync("games/1", TestJson.Default.Game));

        ex.Error.ShouldBe(HttpRequestError.ConnectionError);
        ex.IsTransient.ShouldBeTrue();
        ex.Url.ShouldBe("http://api.test/games/1");
        ex.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task GetJsonAsync_TlsFailure_IsNotTransient()
    {
        var stub = new StubHandler((_, _) => throw new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established"));
        await using var client = Client(stub);

        var ex = await Should.ThrowAsync<SalvoConnectionException>(() => client.GetJsonAsync("games/1", TestJson.Default.Game));

        ex.IsTransient.ShouldBeFalse();
    }

    [Fact]
    public async Task SendAsync_ErrorStatus_ReturnsResponseWithoutThrowing()
    {
        await using var client = Client(StubHandler.Json("{}", HttpStatusCode.NotFound));

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "games/1"));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldBe("{}");
    }

    [Fact]
    public void SalvoException_IsRootOfEveryError()
    {
        Type[] family =
        [
            typeof(SalvoHttpException), typeof(SalvoUnauthorizedException), typeof(SalvoForbiddenException), typeof(SalvoNotFoundException),
            typeof(SalvoConflictException), typeof(SalvoTooManyRequestsException), typeof(SalvoTooManyRedirectsException), typeof(SalvoTimeoutException),
            typeof(SalvoConnectionException), typeof(SalvoDecodingException), typeof(SalvoResponseTooLargeException), typeof(SalvoInvalidRequestException),
        ];
        foreach (var type in family)
            typeof(SalvoException).IsAssignableFrom(type).ShouldBeTrue(type.Name);
    }
}
