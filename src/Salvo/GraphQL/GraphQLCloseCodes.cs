namespace Salvo.GraphQL;

/// <summary>The close codes of <c>graphql-transport-ws</c>, and which of them a reconnect cannot fix.</summary>
internal static class GraphQLCloseCodes
{
    public const int BadRequest = 4400;
    public const int Unauthorized = 4401;
    public const int Forbidden = 4403;
    public const int SubprotocolNotAcceptable = 4406;
    public const int SubscriberAlreadyExists = 4409;
    public const int TooManyInitialisationRequests = 4429;

    /// <summary>
    /// Codes that say this client broke the protocol: reconnecting would break it again. 4403 Forbidden is not among them:
    /// the next connect sends a fresh <c>connection_init</c> payload, which may carry a refreshed token.
    /// </summary>
    public static bool IsFatal(int? code) =>
        code is BadRequest or Unauthorized or SubprotocolNotAcceptable or SubscriberAlreadyExists or TooManyInitialisationRequests;
}
