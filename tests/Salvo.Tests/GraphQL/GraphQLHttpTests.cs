using System.Net;
using System.Text.Json;
using Salvo.GraphQL;
using Salvo.Tests.Support;

namespace Salvo.Tests.GraphQL;

/// <summary>Queries and mutations over a stub transport: the request on the wire, typed data, typed errors, and the retry rules.</summary>
public class GraphQLHttpTests
{
    private sealed record EventData(EventNode? Event);

    private sealed record EventNode(string Id, string? Name, Market[]? Markets);

    private sealed record Market(double? Price);

    private sealed record Strict(StrictNode Event);

    private sealed record StrictNode(string Id, StrictMarket[] Markets);

    private sealed record StrictMarket(double Price);

    private static SalvoClient Client(StubHandler stub, Action<SalvoClientOptions>? configure = null)
    {
        var options = new SalvoClientOptions { BaseAddress = new Uri("http://api.test/v1/") };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        configure?.Invoke(options);
        return new SalvoClient(stub, options);
    }

    /// <summary>Answers 503 with <c>Retry-After: 0</c> (a retry waits no time) the first <paramref name="failures"/> times, then <paramref name="json"/>.</summary>
    private static StubHandler FailingThen(int failures, string json)
    {
        var calls = 0;
        return new StubHandler(_ =>
        {
            if (Interlocked.Increment(ref calls) > failures)
                return StubHandler.JsonResponse(json);
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
            return response;
        });
    }

    [Fact]
    public async Task QueryAsync_SentAsGetWithACacheRule_TheSameQueryIsAnsweredFromTheCache()
    {
        var stub = StubHandler.Json("""{"data":{"event":{"id":"e1","name":"Derby"}}}""");
        await using var client = Client(stub, o =>
        {
            o.GraphQL.UseGetForQueries = true;
            o.Cache.Add("graphql*", TimeSpan.FromMinutes(1));
        });
        var query = new GraphQLRequest("query Ev($id: ID!) { event(id: $id) { id name } }") { Variables = new { id = "e1" } };

        (await client.GraphQL.QueryAsync<EventData>(query)).Event!.Name.ShouldBe("Derby");
        (await client.GraphQL.QueryAsync<EventData>(query)).Event!.Name.ShouldBe("Derby");
        await client.GraphQL.QueryAsync<EventData>(new GraphQLRequest("query Ev($id: ID!) { event(id: $id) { id name } }") { Variables = new { id = "e2" } });

        stub.Requests.Count.ShouldBe(2, "the repeated query came from the cache; other variables are another key");
        stub.Requests.ShouldAllBe(r => r.Method == HttpMethod.Get);
    }

    [Fact]
    public async Task QueryAsync_PostsQueryVariablesAndOperationNameAsJson()
    {
        var stub = StubHandler.Json("""{"data":{"event":{"id":"e1","name":"Derby"}}}""");
        await using var client = Client(stub);

        var data = await client.GraphQL.QueryAsync<EventData>(new GraphQLRequest("query Ev($id: ID!) { event(id: $id) { id name } }") { Variables = new { id = "e1" }, OperationName = "Ev" });

        data.Event!.Name.ShouldBe("Derby");
        var request = stub.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe(HttpMethod.Post);
        request.Uri.ShouldBe(new Uri("http://api.test/v1/graphql"));
        request.ContentType.ShouldBe("application/json; charset=utf-8");
        request.Headers["Accept"].ShouldBe("application/json");
        using var body = JsonDocument.Parse(request.Body!);
        body.RootElement.GetProperty("query").GetString().ShouldStartWith("query Ev");
        body.RootElement.GetProperty("variables").GetProperty("id").GetString().ShouldBe("e1");
        body.RootElement.GetProperty("operationName").GetString().ShouldBe("Ev");
    }

    [Fact]
    public async Task QueryAsync_UseGet_SendsTheOperationInTheQueryString()
    {
        var stub = StubHandler.Json("""{"data":{"event":null}}""");
        await using var client = Client(stub, o => o.GraphQL.UseGetForQueries = true);

        var data = await client.GraphQL.QueryAsync<EventData>("query($id: ID!) { event(id: $id) { id } }", new { id = "a b" });

        data.Event.ShouldBeNull();
        var request = stub.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe(HttpMethod.Get);
        request.Body.ShouldBeNull();
        var query = System.Web.HttpUtility.ParseQueryString(request.Uri.Query);
        query["query"].ShouldBe("query($id: ID!) { event(id: $id) { id } }");
        query["variables"].ShouldBe("""{"id":"a b"}""");
    }

    [Fact]
    public async Task QueryAsync_TransientFailure_IsRetriedLikeAGet()
    {
        var stub = FailingThen(2, """{"data":{"event":{"id":"e1"}}}""");
        await using var client = Client(stub);

        var data = await client.GraphQL.QueryAsync<EventData>("{ event(id: \"e1\") { id } }");

        data.Event!.Id.ShouldBe("e1");
        stub.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task QueryAsync_RetryQueriesOff_IsSentOnce()
    {
        var stub = FailingThen(1, """{"data":{"event":null}}""");
        await using var client = Client(stub, o => o.GraphQL.RetryQueries = false);

        var error = await Should.ThrowAsync<SalvoHttpException>(() => client.GraphQL.QueryAsync<EventData>("{ event(id: \"e1\") { id } }"));

        error.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        stub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task MutateAsync_WithoutIdempotencyKey_IsNeverRetried()
    {
        var stub = FailingThen(1, """{"data":{"event":null}}""");
        await using var client = Client(stub);

        var error = await Should.ThrowAsync<SalvoHttpException>(() => client.GraphQL.MutateAsync<EventData>("mutation { placeBet(stake: 1) { id } }"));

        error.IsTransient.ShouldBeTrue();
        stub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task MutateAsync_WithIdempotencyKey_SendsItAndIsRetried()
    {
        var stub = FailingThen(1, """{"data":{"event":{"id":"b1"}}}""");
        await using var client = Client(stub);

        var data = await client.GraphQL.MutateAsync<EventData>(new GraphQLRequest("mutation { placeBet(stake: 1) { id } }") { IdempotencyKey = "bet-42" });

        data.Event!.Id.ShouldBe("b1");
        stub.Requests.Count.ShouldBe(2);
        stub.Requests.ShouldAllBe(r => r.Headers["Idempotency-Key"] == "bet-42");
    }

    [Fact]
    public async Task QueryAsync_ErrorsWithPartialData_ThrowsEveryErrorTypedAndKeepsTheData()
    {
        var stub = StubHandler.Json("""
            {"data":{"event":{"id":"e1","name":null,"markets":[{"price":1.5},{"price":null}]}},
             "errors":[
               {"message":"name is hidden","path":["event","name"],"locations":[{"line":1,"column":19}],"extensions":{"code":"FORBIDDEN"}},
               {"message":"price feed down","path":["event","markets",1,"price"]}]}
            """);
        await using var client = Client(stub);

        var error = await Should.ThrowAsync<SalvoGraphQLException>(() => client.GraphQL.QueryAsync<EventData>("{ event(id: \"e1\") { id name markets { price } } }"));

        error.Errors.Count.ShouldBe(2);
        error.Errors[0].ShouldSatisfyAllConditions(
            e => e.Message.ShouldBe("name is hidden"),
            e => e.Path.ShouldBe(["event", "name"]),
            e => e.Locations.ShouldBe([new GraphQLLocation(1, 19)]),
            e => e.Code.ShouldBe("FORBIDDEN"));
        error.Errors[1].Path.ShouldBe(["event", "markets", 1, "price"]);
        error.Errors[1].PathText.ShouldBe("event.markets.1.price");
        error.Errors[1].Locations.ShouldBeEmpty();
        error.Errors[1].Extensions.ShouldBeNull();
        var partial = error.GetPartialData<EventData>().ShouldNotBeNull();
        partial.Event!.Markets!.Select(m => m.Price).ShouldBe([1.5, null]);
        error.Message.ShouldBe("POST http://api.test/v1/graphql returned GraphQL errors: name is hidden at event.name (and 1 more); partial data kept.");
        error.StatusCode.ShouldBe(HttpStatusCode.OK);
        error.IsTransient.ShouldBeFalse();
    }

    [Fact]
    public async Task QueryAsync_PartialDataThatDoesNotFitTheType_KeepsTheRawJson()
    {
        var stub = StubHandler.Json("""{"data":{"event":{"id":"e1","markets":[{"price":null}]}},"errors":[{"message":"down","path":["event","markets",0,"price"]}]}""");
        await using var client = Client(stub, o => o.Json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { RespectNullableAnnotations = true });

        var error = await Should.ThrowAsync<SalvoGraphQLException>(() => client.GraphQL.QueryAsync<Strict>("{ event { id markets { price } } }"));

        error.PartialData.ShouldBeNull();
        error.PartialDataJson!.Value.GetProperty("event").GetProperty("id").GetString().ShouldBe("e1");
    }

    [Fact]
    public async Task QueryAsync_ErrorsWithoutData_HasNoPartialData()
    {
        await using var client = Client(StubHandler.Json("""{"errors":[{"message":"Cannot query field \"nope\" on type \"Query\".","locations":[{"line":1,"column":3}]}]}"""));

        var error = await Should.ThrowAsync<SalvoGraphQLException>(() => client.GraphQL.QueryAsync<EventData>("{ nope }"));

        error.PartialData.ShouldBeNull();
        error.PartialDataJson.ShouldBeNull();
        error.Errors.ShouldHaveSingleItem().Path.ShouldBeEmpty();
        error.Message.ShouldNotContain("partial data");
    }

    [Theory]
    [InlineData("text/html", "<html>oops</html>")]
    [InlineData("application/json", "[1,2]")]
    [InlineData("application/json", "{}")]
    [InlineData("application/json", "{\"data\":")]
    public async Task QueryAsync_NotAGraphQLResponse_ThrowsDecodingError(string mediaType, string body)
    {
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType) });
        await using var client = Client(stub);

        var error = await Should.ThrowAsync<SalvoDecodingException>(() => client.GraphQL.QueryAsync<EventData>("{ event { id } }"));

        error.TargetType.ShouldBe(typeof(EventData));
        error.BodyPreview.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task QueryAsync_HttpError_IsTheClientsTypedHttpError()
    {
        await using var client = Client(StubHandler.Json("""{"error":"no"}""", HttpStatusCode.Unauthorized));

        await Should.ThrowAsync<SalvoUnauthorizedException>(() => client.GraphQL.QueryAsync<EventData>("{ event { id } }"));
    }

    [Fact]
    public async Task QueryAsync_EmptyQuery_IsRejectedBeforeSending()
    {
        var stub = StubHandler.Json("{}");
        await using var client = Client(stub);

        await Should.ThrowAsync<ArgumentException>(() => client.GraphQL.QueryAsync<EventData>(" "));
        stub.Requests.ShouldBeEmpty();
    }
}
