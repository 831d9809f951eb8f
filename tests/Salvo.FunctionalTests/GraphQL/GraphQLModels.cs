namespace Salvo.FunctionalTests.GraphQL;

public sealed record HelloData(string Hello);

public sealed record EventData(EventNode? Event);

public sealed record EventNode(string Id, string Name, string? LiveScore);

public sealed record BetData(Bet PlaceBet);

public sealed record Bet(string Id, string EventId, double Stake);

public sealed record PublishData(int Publish);

public sealed record OddsData(OddsUpdate Odds);

public sealed record OddsUpdate(string EventId, int Seq, double Price);

public sealed record CountdownData(int Countdown);
