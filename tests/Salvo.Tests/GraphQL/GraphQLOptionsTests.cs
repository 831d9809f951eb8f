using Microsoft.Extensions.Options;
using Salvo.GraphQL;
using Salvo.Realtime;

namespace Salvo.Tests.GraphQL;

public class GraphQLOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedConstants()
    {
        var options = new GraphQLOptions();

        options.Endpoint.ShouldBe(GraphQLOptions.DefaultEndpoint);
        options.KeepAliveInterval.ShouldBe(GraphQLOptions.DefaultKeepAliveInterval);
        options.PongTimeout.ShouldBe(GraphQLOptions.DefaultPongTimeout);
        options.ConnectionAckTimeout.ShouldBe(GraphQLOptions.DefaultConnectionAckTimeout);
        options.MaxMessageSize.ShouldBe(GraphQLOptions.DefaultMaxMessageSize);
        options.SubscriptionBuffer.ShouldBe(GraphQLOptions.DefaultSubscriptionBuffer);
        options.RetryQueries.ShouldBeTrue();
        options.UseGetForQueries.ShouldBeFalse();
        options.Reconnect.BaseDelay.ShouldBe(ReconnectOptions.DefaultBaseDelay);
        options.Reconnect.MaxDelay.ShouldBe(ReconnectOptions.DefaultMaxDelay);
        options.Reconnect.MaxAttempts.ShouldBeNull();
        GraphQLOptionsValidator.Instance.Validate(null, options).Succeeded.ShouldBeTrue();
        RealtimeOptionsValidator.Instance.Validate(null, new RealtimeOptions()).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void SalvoClient_InvalidGraphQLAndRealtimeOptions_FailsAtCreationListingEachProblem()
    {
        var options = new SalvoClientOptions();
        options.GraphQL.Endpoint = "";
        options.GraphQL.WebSocketEndpoint = new Uri("http://api.test/graphql");
        options.GraphQL.PongTimeout = TimeSpan.Zero;
        options.GraphQL.SubscriptionBuffer = 0;
        options.GraphQL.Reconnect.MaxDelay = TimeSpan.FromMilliseconds(10);
        options.GraphQL.Reconnect.MaxAttempts = 0;
        options.Realtime.MaxMessageSize = 10;
        options.Realtime.Reconnect.BaseDelay = TimeSpan.FromSeconds(-1);

        var error = Should.Throw<OptionsValidationException>(() => new SalvoClient(options));

        error.Failures.ShouldContain("GraphQL.Endpoint must not be empty.");
        error.Failures.ShouldContain(f => f.StartsWith("GraphQL.WebSocketEndpoint must be an absolute ws or wss URL", StringComparison.Ordinal));
        error.Failures.ShouldContain("GraphQL.PongTimeout must be positive (got 0 ms).");
        error.Failures.ShouldContain("GraphQL.SubscriptionBuffer must be at least 1 (got 0).");
        error.Failures.ShouldContain("GraphQL.Reconnect.MaxDelay must not be shorter than Reconnect.BaseDelay.");
        error.Failures.ShouldContain("GraphQL.Reconnect.MaxAttempts must be at least 1, or null for no limit (got 0).");
        error.Failures.ShouldContain("Realtime.MaxMessageSize must be at least 1024 bytes (got 10).");
        error.Failures.ShouldContain("Realtime.Reconnect.BaseDelay must be positive (got -1000 ms).");
    }
}
