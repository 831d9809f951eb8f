namespace Salvo.Cli.Demo;

/// <summary>What <c>salvo demo</c> runs: the seed's table, with the latency and counts as flags.</summary>
internal sealed record DemoSettings(
    TimeSpan Latency,
    TimeSpan ConnectLatency,
    int Queries,
    int GameDetails,
    int SportEvents,
    int ConnectionRequests,
    TimeSpan RealtimeDuration,
    TimeSpan PollInterval);
