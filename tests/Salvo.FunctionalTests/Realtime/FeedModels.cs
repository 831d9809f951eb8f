namespace Salvo.FunctionalTests.Realtime;

/// <summary>The Sandbox's live feed update, as a client decodes it.</summary>
public sealed record PriceUpdate(long Seq, string EventId, double Home, double Draw, double Away, double PublishedAtMs);

/// <summary>The Sandbox's polling page.</summary>
public sealed record FeedPage(long Last, PriceUpdate[] Updates);

/// <summary>The Sandbox's feed counters.</summary>
public sealed record FeedCounters(long Published, long StreamConnections, long PollRequests, int Subscribers);
