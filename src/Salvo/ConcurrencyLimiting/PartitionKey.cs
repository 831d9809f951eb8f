namespace Salvo.ConcurrencyLimiting;

/// <summary>What a per-host limit is keyed by: the host and the port, read from the URI without allocating (its authority would).</summary>
/// <param name="Host">The host, or <see langword="null"/> for the partition shared by every host.</param>
/// <param name="Port">The port, or -1 for none.</param>
internal readonly record struct PartitionKey(string? Host, int Port)
{
    public static PartitionKey Shared => new(null, -1);
}
