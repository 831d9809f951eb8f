using System.Text.Json;
using Salvo.GraphQL;

namespace Salvo.Tests.GraphQL;

/// <summary>The client's graphql-transport-ws messages, byte for byte what the protocol document shows.</summary>
public class GraphQLMessagesTests
{
    [Fact]
    public void ConnectionInit_WithAndWithoutPayload()
    {
        Text(GraphQLMessages.ConnectionInit(JsonSerializer.SerializeToElement(new { token = "t" }))).ShouldBe("""{"type":"connection_init","payload":{"token":"t"}}""");
        Text(GraphQLMessages.ConnectionInit(null)).ShouldBe("""{"type":"connection_init"}""");
    }

    [Fact]
    public void Subscribe_CarriesTheOperationAsPayload()
    {
        var payload = GraphQLJson.Payload(new GraphQLRequest("subscription { odds { price } }") { Variables = new { id = "e1" }, OperationName = "O" }, JsonSerializerOptions.Web);

        Text(GraphQLMessages.Subscribe(new GraphQLSubscription("7", payload, 1)))
            .ShouldBe("""{"id":"7","type":"subscribe","payload":{"query":"subscription { odds { price } }","variables":{"id":"e1"},"operationName":"O"}}""");
    }

    [Fact]
    public void PingPongComplete()
    {
        Text(GraphQLMessages.Ping).ShouldBe("""{"type":"ping"}""");
        Text(GraphQLMessages.Pong).ShouldBe("""{"type":"pong"}""");
        Text(GraphQLMessages.Complete("3")).ShouldBe("""{"id":"3","type":"complete"}""");
    }

    [Fact]
    public void Payload_VariablesThatCannotBeSerialized_IsATypedInvalidRequest()
    {
        Should.Throw<SalvoInvalidRequestException>(() => GraphQLJson.Payload(new GraphQLRequest("{ a }") { Variables = new Action(() => { }) }, JsonSerializerOptions.Web));
    }

    [Fact]
    public void Payload_JsonElementVariables_NeedNoResolver()
    {
        var empty = new JsonSerializerOptions { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };
        empty.TypeInfoResolverChain.Clear();
        empty.MakeReadOnly();
        var variables = JsonSerializer.SerializeToElement(new { id = "e1" });

        var payload = GraphQLJson.Payload(new GraphQLRequest("query($id: ID!) { event(id: $id) { id } }") { Variables = variables }, empty);

        System.Text.Encoding.UTF8.GetString(payload).ShouldBe("""{"query":"query($id: ID!) { event(id: $id) { id } }","variables":{"id":"e1"}}""");
    }

    [Fact]
    public void ErrorReader_ToleratesMissingAndMistypedMembers()
    {
        using var doc = JsonDocument.Parse("""[{"path":"not-a-list","locations":[{"line":"x"}]}, "plain text", {"message":"m","path":[true, "f", 2]}]""");

        var errors = GraphQLErrorReader.ReadAll(doc.RootElement);

        errors.Select(e => e.Message).ShouldBe(["(no message)", "plain text", "m"]);
        errors[0].Path.ShouldBeEmpty();
        errors[0].Locations.ShouldBeEmpty();
        errors[2].Path.ShouldBe(["f", 2]);
        errors[2].Code.ShouldBeNull();
    }

    private static string Text(byte[] message) => System.Text.Encoding.UTF8.GetString(message);
}
