namespace Salvo.Sandbox;

/// <summary>The shape of a <see cref="SandboxLatency"/>.</summary>
public enum SandboxLatencyKind
{
    /// <summary>No added latency.</summary>
    None,

    /// <summary>The same delay for every request.</summary>
    Fixed,

    /// <summary>A delay drawn uniformly between a minimum and a maximum.</summary>
    Uniform,

    /// <summary>A log-normal delay with a given median and 99th percentile: mostly fast, with a slow tail.</summary>
    LogNormal,
}
