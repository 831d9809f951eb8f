namespace Salvo.Sandbox.Feed;

/// <summary>
/// One odds change of the live feed: the sequence number (also the SSE event id), the event, its new three-way odds and
/// when the server published it (Unix milliseconds, with fractions), so a client can measure publication-to-receipt delay.
/// </summary>
internal sealed record PriceUpdate(long Seq, string EventId, double Home, double Draw, double Away, double PublishedAtMs);

/// <summary>What <c>GET /feed/odds?after=N</c> returns: the updates after <c>N</c> still in the buffer, and the newest sequence number.</summary>
internal sealed record FeedPage(long Last, IReadOnlyList<PriceUpdate> Updates);

/// <summary>What <c>GET /_sandbox/feed</c> returns.</summary>
internal sealed record FeedCounters(long Published, long StreamConnections, long PollRequests, int Subscribers);
